package dev.clearance.router.location;

import com.google.common.net.InetAddresses;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientAddressesTest {

    private final ClientAddresses trustingProxies =
            new ClientAddresses(TrustedProxies.parse(List.of("10.0.0.0/8", "2001:db8:ffff::/48", "192.0.2.7")));

    private static InetSocketAddress peer(String ip) {
        return new InetSocketAddress(InetAddresses.forString(ip), 40000);
    }

    private static String ip(java.net.InetAddress a) {
        return a == null ? null : a.getHostAddress();
    }

    @Test
    void directConnectionIsTheClient() {
        assertEquals("81.2.69.142", ip(trustingProxies.resolve(peer("81.2.69.142"), List.of())));
        assertEquals("81.2.69.142", ip(trustingProxies.resolve(peer("81.2.69.142"), null)));
    }

    @Test
    void forwardedForFromAnUntrustedPeerIsIgnored() {
        assertEquals("89.160.20.112", ip(trustingProxies.resolve(peer("89.160.20.112"), List.of("2a02:d2c0::1"))));
        ClientAddresses none = new ClientAddresses(TrustedProxies.NONE);
        assertEquals("10.1.2.3", ip(none.resolve(peer("10.1.2.3"), List.of("2a02:d2c0::1"))));
    }

    @Test
    void trustedProxyChainTakesTheRightMostUntrustedAddress() {
        // client-supplied spoof, real client, then two of our proxies
        assertEquals("89.160.20.112", ip(trustingProxies.resolve(peer("10.0.0.5"),
                List.of("2a02:d2c0::1, 89.160.20.112, 192.0.2.7", "10.9.9.9"))));
        assertEquals("81.2.69.142", ip(trustingProxies.resolve(peer("10.0.0.5"), List.of("81.2.69.142"))));
    }

    @Test
    void allTrustedOrNoHeaderGivesTheLastTrustedHop() {
        assertEquals("10.9.9.9", ip(trustingProxies.resolve(peer("10.0.0.5"), List.of("10.9.9.9"))));
        assertEquals("10.0.0.5", ip(trustingProxies.resolve(peer("10.0.0.5"), List.of())));
    }

    @Test
    void ipv6PeersAndEntries() {
        assertEquals("2a02:d2c0:0:0:0:0:0:1", ip(trustingProxies.resolve(peer("2001:db8:ffff::1"),
                List.of("[2a02:d2c0::1]"))));
        assertEquals("2a02:d2c0:0:0:0:0:0:1", ip(trustingProxies.resolve(peer("2001:db8:ffff::1"),
                List.of("2a02:d2c0::1"))));
        assertEquals("2001:db8:1:0:0:0:0:1", ip(trustingProxies.resolve(peer("2001:db8:1::1"),
                List.of("2a02:d2c0::1"))));
        // IPv4-mapped peer counts as the IPv4 proxy
        assertEquals("81.2.69.142", ip(trustingProxies.resolve(peer("::ffff:10.0.0.5"), List.of("81.2.69.142"))));
    }

    @Test
    void garbageEntriesAreNeverResolvedAndEndTheWalk() {
        assertEquals("10.0.0.5", ip(trustingProxies.resolve(peer("10.0.0.5"), List.of("example.com"))));
        assertEquals("10.0.0.5", ip(trustingProxies.resolve(peer("10.0.0.5"), List.of("not an ip"))));
        assertEquals("10.0.0.5", ip(trustingProxies.resolve(peer("10.0.0.5"), List.of(""))));
        assertEquals("10.0.0.5", ip(trustingProxies.resolve(peer("10.0.0.5"), List.of("81.2.69.142:443"))));
        assertEquals("10.9.9.9", ip(trustingProxies.resolve(peer("10.0.0.5"), List.of("2a02:d2c0::1, junk, 10.9.9.9"))));
        // garbage left of the first untrusted address does not matter
        assertEquals("89.160.20.112", ip(trustingProxies.resolve(peer("10.0.0.5"), List.of("junk, 89.160.20.112"))));
    }

    @Test
    void noInetPeerMeansNoAddress() {
        assertNull(trustingProxies.resolve(null, List.of("81.2.69.142")));
        assertNull(trustingProxies.resolve(new java.net.SocketAddress() { }, List.of("81.2.69.142")));
    }

    @Test
    void trustedProxiesParse() {
        TrustedProxies t = TrustedProxies.parse(List.of(" 10.0.0.0/8 ", "", "2001:db8::/32", "203.0.113.9"));
        assertTrue(t.contains(InetAddresses.forString("10.255.0.1")));
        assertTrue(t.contains(InetAddresses.forString("2001:db8:5::1")));
        assertTrue(t.contains(InetAddresses.forString("203.0.113.9")));
        assertTrue(!t.contains(InetAddresses.forString("203.0.113.10")));
        assertTrue(!t.contains(InetAddresses.forString("11.0.0.1")));
        assertTrue(TrustedProxies.parse(List.of("0.0.0.0/0")).contains(InetAddresses.forString("8.8.8.8")));
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse(List.of("proxy.internal")));
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse(List.of("10.0.0.0/33")));
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse(List.of("10.0.0.0/x")));
    }
}
