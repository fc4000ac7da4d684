package dev.clearance.router.location;

/**
 * Where a request comes from, as the GeoIP databases see its client address. Used only for the
 * embargo check ({@link #regionCode()} becomes the engine's {@code regionCode}) and recorded in the
 * decision; it never changes who the caller is (nationality comes from evidence only).
 *
 * @param country ISO 3166-1 alpha-2 code, or null when unknown (no database, no address, no entry)
 * @param region  ISO 3166-2 code of the most specific subdivision ({@code UA-43}), or null when the
 *                database has none (a Country database, or an address it places in no subdivision)
 */
public record Location(String country, String region, boolean vpn, boolean hostingProvider, boolean publicProxy,
                       boolean torExit, boolean anonymous) {

    public static final Location UNKNOWN = new Location(null, null, false, false, false, false, false);

    /** A location known to the country only. */
    public Location(String country, boolean vpn, boolean hostingProvider, boolean publicProxy, boolean torExit,
                    boolean anonymous) {
        this(country, null, vpn, hostingProvider, publicProxy, torExit, anonymous);
    }

    /**
     * The code the engine's embargo check gets: the region when known (the engine refuses it when the
     * region or its country is embargoed), else the country, else null (no check).
     */
    public String regionCode() {
        return region != null ? region : country;
    }

    /** The wire form for {@code Decision.request_location}, or null when nothing is known. */
    public dev.clearance.common.v1.RequestLocation toProto() {
        if (equals(UNKNOWN)) {
            return null;
        }
        return dev.clearance.common.v1.RequestLocation.newBuilder()
                .setCountry(country == null ? "" : country)
                .setRegion(region == null ? "" : region)
                .setVpn(vpn)
                .setHostingProvider(hostingProvider)
                .setPublicProxy(publicProxy)
                .setTorExit(torExit)
                .setAnonymous(anonymous)
                .build();
    }

    /** Whether any anonymiser flag is set (VPN, hosting provider, public proxy, Tor exit, anonymous). */
    public boolean flagged() {
        return vpn || hostingProvider || publicProxy || torExit || anonymous;
    }

    /** The anonymiser flags set, comma-separated ({@code vpn,tor}), or {@code -} when none. */
    public String flags() {
        StringBuilder b = new StringBuilder();
        if (anonymous) append(b, "anonymous");
        if (vpn) append(b, "vpn");
        if (publicProxy) append(b, "proxy");
        if (torExit) append(b, "tor");
        if (hostingProvider) append(b, "hosting");
        return b.isEmpty() ? "-" : b.toString();
    }

    private static void append(StringBuilder b, String flag) {
        if (!b.isEmpty()) {
            b.append(',');
        }
        b.append(flag);
    }
}
