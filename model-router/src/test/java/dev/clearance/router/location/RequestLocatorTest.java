package dev.clearance.router.location;

import com.google.common.net.InetAddresses;
import dev.clearance.testing.geoip.CityTestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lookups on MaxMind's test databases (src/test/resources/geoip, MIT licence), and on the City test
 * database the testing module generates (MaxMind ships none with subdivisions).
 */
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

    private static Path cityDb;

    /** The generated City database (testing's CityTestDatabase), written once per JVM. */
    public static synchronized Path cityDb() {
        if (cityDb == null) {
            cityDb = CityTestDatabase.writeTemporary();
        }
        return cityDb;
    }

    /** City database for country and region, MaxMind's Anonymous-IP test database for flags. */
    public static RequestLocator cityLocator() {
        return new RequestLocator(cityDb(), testDb("GeoIP2-Anonymous-IP-Test.mmdb"));
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

    @Test
    void aCityDatabaseGivesTheRegionAsIso3166dash2() {
        RequestLocator city = cityLocator();
        try {
            assertTrue(city.locatesRegions());
            assertFalse(locator.locatesRegions(), "a Country database has no subdivisions");
            Location crimea = city.locate(InetAddresses.forString(CityTestDatabase.CRIMEA));
            assertEquals(new Location("UA", "UA-43", false, false, false, false, false), crimea);
            assertEquals("UA-43", crimea.regionCode());
            assertEquals("UA-43", city.locate(InetAddresses.forString(CityTestDatabase.CRIMEA_V6)).regionCode());
            assertEquals("UA-40", city.locate(InetAddresses.forString(CityTestDatabase.SEVASTOPOL)).region());
            assertEquals("UA-14", city.locate(InetAddresses.forString(CityTestDatabase.DONETSK)).region());
            assertEquals("UA-09", city.locate(InetAddresses.forString(CityTestDatabase.LUHANSK)).region());
            Location kyiv = city.locate(InetAddresses.forString(CityTestDatabase.KYIV));
            assertEquals("UA", kyiv.country());
            assertEquals("UA-30", kyiv.region());
            assertEquals("US-CA", city.locate(InetAddresses.forString(CityTestDatabase.CALIFORNIA)).region());
            // no subdivision: decided by the country, as with a Country database
            Location ukraine = city.locate(InetAddresses.forString(CityTestDatabase.UKRAINE_NO_SUBDIVISION));
            assertEquals("UA", ukraine.country());
            assertNull(ukraine.region());
            assertEquals("UA", ukraine.regionCode());
            // the anonymiser database still adds its flags to a City location
            Location london = city.locate(InetAddresses.forString(CityTestDatabase.LONDON));
            assertEquals("GB-ENG", london.region());
            assertTrue(london.vpn());
            // not in the database: unknown
            assertEquals(Location.UNKNOWN, city.locate(InetAddresses.forString(CityTestDatabase.NOT_LISTED)));
            assertEquals(Location.UNKNOWN, city.locate(null));
        } finally {
            city.close();
        }
    }

    @Test
    void regionIsRecordedOnTheWire() {
        var proto = new Location("UA", "UA-43", false, false, false, false, false).toProto();
        assertEquals("UA", proto.getCountry());
        assertEquals("UA-43", proto.getRegion());
        assertEquals("", new Location("UA", false, false, false, false, false).toProto().getRegion());
    }

    @Test
    void databaseTypesWithSubdivisions() {
        assertTrue(RequestLocator.hasSubdivisions("GeoIP2-City"));
        assertTrue(RequestLocator.hasSubdivisions("GeoLite2-City"));
        assertTrue(RequestLocator.hasSubdivisions("GeoIP2-Enterprise"));
        assertFalse(RequestLocator.hasSubdivisions("GeoIP2-Country"));
        assertFalse(RequestLocator.hasSubdivisions("GeoLite2-Country"));
        assertFalse(RequestLocator.hasSubdivisions(null));
    }
}
