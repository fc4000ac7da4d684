package dev.clearance.router.location;

import com.google.common.net.InetAddresses;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The CIDR blocks ({@code 10.0.0.0/8}, {@code 2001:db8::/32}, or a single address) whose
 * connections may tell the router the client address in {@code X-Forwarded-For}.
 */
public final class TrustedProxies {

    public static final TrustedProxies NONE = new TrustedProxies(List.of());

    private record Block(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Block> blocks;

    private TrustedProxies(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    /** Parses every entry; an invalid entry is a configuration error (IllegalArgumentException). */
    public static TrustedProxies parse(List<String> cidrs) {
        List<Block> blocks = new ArrayList<>();
        for (String raw : cidrs) {
            String cidr = raw.strip();
            if (cidr.isEmpty()) {
                continue;
            }
            int slash = cidr.indexOf('/');
            String host = slash < 0 ? cidr : cidr.substring(0, slash);
            if (!InetAddresses.isInetAddress(host)) {
                throw new IllegalArgumentException("not an IP address or CIDR block: " + cidr);
            }
            byte[] network = normalise(InetAddresses.forString(host)).getAddress();
            int max = network.length * 8;
            int prefix;
            try {
                prefix = slash < 0 ? max : Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in " + cidr);
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("bad prefix length in " + cidr);
            }
            blocks.add(new Block(network, prefix));
        }
        return new TrustedProxies(blocks);
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    public boolean contains(InetAddress address) {
        if (address == null) {
            return false;
        }
        byte[] bytes = normalise(address).getAddress();
        for (Block block : blocks) {
            if (block.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    /** IPv4-mapped IPv6 ({@code ::ffff:1.2.3.4}) is treated as the IPv4 address it carries. */
    static InetAddress normalise(InetAddress address) {
        if (address instanceof java.net.Inet6Address && InetAddresses.isMappedIPv4Address(address.getHostAddress())) {
            return InetAddresses.getEmbeddedIPv4ClientAddress((java.net.Inet6Address) address);
        }
        return address;
    }
}
