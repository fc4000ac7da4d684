package dev.clearance.router.location;

import com.google.common.net.InetAddresses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lookups on MaxMind's test databases (src/test/resources/geoip, MIT licence). */
public class RequestLocatorTest {

    private static RequestLocator locator;

    public static Path testDb(String name) {
        try {
            return Path.of(RequestLocatorTest.class.getResource("/geoip/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static RequestLocator testLocator() {
        return new RequestLocator(testDb("GeoIP2-Country-Test.mmdb"), testDb("GeoIP2-Anonymous-IP-Test.mmdb"));
    }

    @BeforeAll
    static void open() {
        locator = testLocator();
    }

    @AfterAll
    static void close() {
        locator.close();
    }

    private static Location at(String ip) {
        return locator.locate(InetAddresses.forString(ip));
    }

    @Test
    void britishAddressFlaggedAsVpnProxyTorAndHosting() {
        Location l = at("81.2.69.142");
        assertEquals("GB", l.country());
        assertTrue(l.vpn());
        assertTrue(l.anonymous());
        assertTrue(l.publicProxy());
        assertTrue(l.torExit());
        assertTrue(l.hostingProvider());
        assertEquals("anonymous,vpn,proxy,tor,hosting", l.flags());
    }

    @Test
    void swedishAddressWithoutFlags() {
        Location l = at("89.160.20.112");
        assertEquals("SE", l.country());
        assertFalse(l.anonymous() || l.vpn() || l.publicProxy() || l.torExit() || l.hostingProvider());
        assertEquals("-", l.flags());
    }

    @Test
    void iranianIpv6Range() {
        assertEquals("IR", at("2a02:d2c0::1").country());
        assertEquals("IR", at("2a02:f900::1234").country());
        assertEquals("RU", at("2a02:d0c0::1").country());
    }

    @Test
    void torExitWithoutCountry() {
        Location l = at("1.124.213.1");
        assertNull(l.country());
        assertTrue(l.torExit());
        assertTrue(l.vpn());
    }

    @Test
    void unknownAddressesAndNoDatabases() {
        assertEquals(Location.UNKNOWN, at("192.0.2.1"));
        assertEquals(Location.UNKNOWN, locator.locate(null));
        RequestLocator none = RequestLocator.none();
        assertFalse(none.enabled());
        assertEquals(Location.UNKNOWN, none.locate(InetAddresses.forString("81.2.69.142")));
        RequestLocator countryOnly = new RequestLocator(testDb("GeoIP2-Country-Test.mmdb"), null);
        assertEquals(new Location("GB", false, false, false, false, false),
                countryOnly.locate(InetAddresses.forString("81.2.69.142")));
    }
}
