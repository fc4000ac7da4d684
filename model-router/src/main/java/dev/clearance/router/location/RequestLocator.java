package dev.clearance.router.location;

import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.model.AnonymousIpResponse;
import com.maxmind.geoip2.model.CityResponse;
import com.maxmind.geoip2.model.CountryResponse;
import com.maxmind.geoip2.record.Subdivision;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Country, region and anonymiser signals of a client address from MaxMind GeoIP2 databases: a
 * location database ({@code clearance.router.geoip.country-db}) and an Anonymous-IP database
 * ({@code clearance.router.geoip.anonymous-db}). The location database may be a Country, City or
 * Enterprise database; its metadata's {@code database_type} decides: a City or Enterprise database
 * also gives the most specific subdivision as ISO 3166-2 ({@code UA-43}), so region embargoes (15 CFR
 * 746.6: Crimea, Sevastopol, DNR, LNR) are checked; a Country database gives the country only and
 * region embargoes cannot be seen (said at start-up). Both databases are optional: without the
 * location database the location is unknown and no embargo check is made; without the Anonymous-IP
 * database no flags are set. A configured database that cannot be opened stops the start-up.
 */
@Singleton
@Startup
public class RequestLocator {

    private static final Logger LOG = Logger.getLogger(RequestLocator.class);

    private final DatabaseReader country;
    /** The location database is a City or Enterprise one: look subdivisions up too. */
    private final boolean subdivisions;
    private final DatabaseReader anonymous;

    @Inject
    public RequestLocator(@ConfigProperty(name = "clearance.router.geoip.country-db") Optional<String> countryDb,
                          @ConfigProperty(name = "clearance.router.geoip.anonymous-db") Optional<String> anonymousDb) {
        this(countryDb.filter(s -> !s.isBlank()).map(Path::of).orElse(null),
                anonymousDb.filter(s -> !s.isBlank()).map(Path::of).orElse(null));
    }

    public RequestLocator(Path countryDb, Path anonymousDb) {
        this.country = open(countryDb);
        this.anonymous = open(anonymousDb);
        this.subdivisions = country != null && hasSubdivisions(country.getMetadata().getDatabaseType());
        if (country == null) {
            LOG.info("no GeoIP country database configured (clearance.router.geoip.country-db): "
                    + "request locations are unknown and no embargo check is made");
        } else if (subdivisions) {
            LOG.infof("GeoIP location database %s: country and subdivision (region embargoes checked)",
                    country.getMetadata().getDatabaseType());
        } else {
            LOG.warnf("GeoIP location database %s has countries only: region embargoes (e.g. UA-43 Crimea) "
                    + "cannot be seen; configure a GeoIP2 City or Enterprise database as "
                    + "clearance.router.geoip.country-db", country.getMetadata().getDatabaseType());
        }
    }

    /** No databases: every location is unknown. */
    public static RequestLocator none() {
        return new RequestLocator((Path) null, null);
    }

    public boolean enabled() {
        return country != null || anonymous != null;
    }

    /** Whether the location database places addresses in subdivisions (City or Enterprise). */
    public boolean locatesRegions() {
        return subdivisions;
    }

    /** GeoIP2-City, GeoLite2-City, GeoIP2-Enterprise, ...: the types whose records carry subdivisions. */
    static boolean hasSubdivisions(String databaseType) {
        return databaseType != null && (databaseType.contains("City") || databaseType.contains("Enterprise"));
    }

    /** Where this address is; {@link Location#UNKNOWN} for null, unlisted or failed lookups. */
    public Location locate(InetAddress address) {
        if (address == null || !enabled()) {
            return Location.UNKNOWN;
        }
        String iso = null;
        String region = null;
        if (country != null) {
            try {
                if (subdivisions) {
                    CityResponse city = country.tryCity(address).orElse(null);
                    if (city != null) {
                        iso = upper(city.getCountry().getIsoCode());
                        region = regionOf(iso, city.getMostSpecificSubdivision());
                    }
                } else {
                    iso = country.tryCountry(address).map(CountryResponse::getCountry)
                            .map(c -> upper(c.getIsoCode())).orElse(null);
                }
            } catch (Exception e) {
                // The exception type only: GeoIP messages quote the client address (personal data).
                LOG.debugf("GeoIP location lookup failed: %s", e.getClass().getSimpleName());
            }
        }
        AnonymousIpResponse a = null;
        if (anonymous != null) {
            try {
                a = anonymous.tryAnonymousIp(address).orElse(null);
            } catch (Exception e) {
                LOG.debugf("GeoIP anonymous-IP lookup failed: %s", e.getClass().getSimpleName());
            }
        }
        if (a == null) {
            return iso == null ? Location.UNKNOWN : new Location(iso, region, false, false, false, false, false);
        }
        return new Location(iso, region, a.isAnonymousVpn(), a.isHostingProvider(), a.isPublicProxy(),
                a.isTorExitNode(), a.isAnonymous());
    }

    private static String upper(String code) {
        return code == null ? null : code.toUpperCase(Locale.ROOT);
    }

    /** ISO 3166-2 of a subdivision: the country, a dash, MaxMind's subdivision code ({@code UA} + {@code 43}). */
    private static String regionOf(String country, Subdivision subdivision) {
        String code = subdivision == null ? null : subdivision.getIsoCode();
        if (country == null || code == null || code.isEmpty()) {
            return null; // placed in no subdivision: decided by the country
        }
        return country + "-" + code.toUpperCase(Locale.ROOT);
    }

    @PreDestroy
    void close() {
        for (DatabaseReader reader : new DatabaseReader[] {country, anonymous}) {
            if (reader != null) {
                try {
                    reader.close();
                } catch (IOException ignored) {
                    // closing a read-only database
                }
            }
        }
    }

    private static DatabaseReader open(Path path) {
        if (path == null) {
            return null;
        }
        try {
            return new DatabaseReader.Builder(path.toFile()).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open GeoIP database " + path, e);
        }
    }
}
