package dev.clearance.testing.geoip;

import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.model.CityResponse;
import com.maxmind.geoip2.model.CountryResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The writer's output read back with MaxMind's own reader (com.maxmind.geoip2 / maxmind-db). */
class MaxMindDbWriterTest {

    private static DatabaseReader city;

    @BeforeAll
    static void open(@TempDir Path dir) throws IOException {
        city = new DatabaseReader.Builder(CityTestDatabase.write(dir).toFile()).build();
    }

    @AfterAll
    static void close() throws IOException {
        city.close();
    }

    private static CityResponse at(String ip) throws Exception {
        return city.city(InetAddress.getByName(ip));
    }

    @Test
    void metadataSaysCityIpv6FormatTwo() {
        var m = city.getMetadata();
        assertEquals("GeoIP2-City", m.getDatabaseType());
        assertEquals(6, m.getIpVersion());
        assertEquals(2, m.getBinaryFormatMajorVersion());
        assertEquals(0, m.getBinaryFormatMinorVersion());
        assertTrue(m.toString().contains("recordSize=24"), m::toString);
        assertEquals(List.of("en"), m.getLanguages());
        assertEquals(1_767_225_600_000L, m.getBuildDate().getTime());
        assertTrue(m.getDescription().get("en").contains("CityTestDatabase"));
    }

    @Test
    void crimeaIsUkraineSubdivision43() throws Exception {
        CityResponse r = at(CityTestDatabase.CRIMEA);
        assertEquals("UA", r.getCountry().getIsoCode());
        assertEquals("Ukraine", r.getCountry().getName());
        assertEquals("43", r.getMostSpecificSubdivision().getIsoCode());
        assertEquals("Autonomous Republic of Crimea", r.getMostSpecificSubdivision().getName());
        assertEquals("Simferopol", r.getCity().getName());
        assertEquals("UA", r.getRegisteredCountry().getIsoCode());
        assertEquals("198.51.100.0/26", r.getTraits().getNetwork().toString());
        assertEquals("43", at(CityTestDatabase.CRIMEA_V6).getMostSpecificSubdivision().getIsoCode());
    }

    @Test
    void everyRowOfTheSourceReadsBack() throws Exception {
        List<String> seen = new ArrayList<>();
        for (String ip : List.of(CityTestDatabase.CRIMEA, CityTestDatabase.SEVASTOPOL, CityTestDatabase.DONETSK,
                CityTestDatabase.LUHANSK, CityTestDatabase.UKRAINE_NO_SUBDIVISION, CityTestDatabase.KYIV,
                CityTestDatabase.CALIFORNIA, CityTestDatabase.CRIMEA_V6, CityTestDatabase.KYIV_V6,
                CityTestDatabase.LONDON, CityTestDatabase.LINKOPING, CityTestDatabase.TEHRAN_V6)) {
            CityResponse r = at(ip);
            String subdivision = r.getMostSpecificSubdivision().getIsoCode();
            seen.add(r.getCountry().getIsoCode() + (subdivision == null ? "" : "-" + subdivision));
        }
        assertEquals(List.of("UA-43", "UA-40", "UA-14", "UA-09", "UA", "UA-30", "US-CA", "UA-43", "UA-30",
                "GB-ENG", "SE-E", "IR-23"), seen);
        assertEquals(CityTestDatabase.networks().size(), seen.size());
    }

    @Test
    void networkEdgesAndUnlistedAddresses() throws Exception {
        assertEquals("43", at("198.51.100.63").getMostSpecificSubdivision().getIsoCode());
        assertEquals("40", at("198.51.100.64").getMostSpecificSubdivision().getIsoCode());
        assertEquals("IR", at("2a02:d2c7:ffff::1").getCountry().getIsoCode());
        assertEquals("SE", at("89.160.20.127").getCountry().getIsoCode());
        assertFalse(city.tryCity(InetAddress.getByName("89.160.20.128")).isPresent());
        assertFalse(city.tryCity(InetAddress.getByName(CityTestDatabase.NOT_LISTED)).isPresent());
        assertFalse(city.tryCity(InetAddress.getByName("2001:db8:44::1")).isPresent());
        // IPv4-mapped IPv6 addresses are IPv4 to Java and find the IPv4 subtree
        assertEquals("30", at("::ffff:203.0.113.70").getMostSpecificSubdivision().getIsoCode());
        // a City database answers Country lookups too
        CountryResponse country = city.country(InetAddress.getByName(CityTestDatabase.KYIV));
        assertEquals("UA", country.getCountry().getIsoCode());
        // no subdivision: the most specific one is empty, not an error
        assertEquals(null, at(CityTestDatabase.UKRAINE_NO_SUBDIVISION).getMostSpecificSubdivision().getIsoCode());
    }

    @Test
    void sameSourceSameBytes() {
        assertArrayEquals(CityTestDatabase.writer().toBytes(), CityTestDatabase.writer().toBytes());
    }

    @Test
    void everyTypeAndSizeFormReadsBack() throws Exception {
        // Strings whose size takes 0, 1, 2 and 3 extra bytes, uint16/32/64, double, booleans, arrays;
        // then a data section past 2^24 bytes, which needs 28-bit records. Read through the reader's
        // generic decoder.
        for (int padding : new int[] {0, 9_000_000}) {
            MaxMindDbWriter w = new MaxMindDbWriter("Clearance-Test", "writer shapes", 0);
            int[] lengths = {3, 40, 300, 100_000};
            for (int i = 0; i < lengths.length; i++) {
                String text = "x".repeat(Math.max(lengths[i], i < 2 ? 0 : padding)) + i;
                w.insert("10.0.0." + i + "/32", Map.of("text", text, "big", BigInteger.TWO.pow(63).add(BigInteger.valueOf(i)),
                        "ratio", i / 4.0, "flag", i % 2 == 0, "list", List.of(i, i * 70_000L, 0)));
            }
            try (var reader = new com.maxmind.db.Reader(new ByteArrayInputStream(w.toBytes()))) {
                String metadata = reader.getMetadata().toString(); // the record size has no public getter
                assertTrue(metadata.contains("recordSize=" + (padding == 0 ? 24 : 28)), metadata);
                for (int i = 0; i < lengths.length; i++) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> r = reader.get(InetAddress.getByName("10.0.0." + i), Map.class);
                    String text = (String) r.get("text");
                    assertEquals(Math.max(lengths[i], i < 2 ? 0 : padding) + 1, text.length());
                    assertTrue(text.endsWith(String.valueOf(i)));
                    assertEquals(BigInteger.TWO.pow(63).add(BigInteger.valueOf(i)), r.get("big"));
                    assertEquals(i / 4.0, r.get("ratio"));
                    assertEquals(i % 2 == 0, r.get("flag"));
                    assertEquals(Arrays.asList(i, i * 70_000L, 0), r.get("list"));
                }
                assertEquals(null, reader.get(InetAddress.getByName("10.0.0.9"), Map.class));
            }
        }
    }

    @Test
    void overlappingNetworksAreRefused() {
        MaxMindDbWriter w = new MaxMindDbWriter("Clearance-Test", "overlap", 0).insert("10.0.0.0/8", Map.of("a", "b"));
        assertThrows(IllegalArgumentException.class, () -> w.insert("10.1.0.0/16", Map.of("a", "c")));
        assertThrows(IllegalArgumentException.class, () -> w.insert("10.0.0.0/8", Map.of("a", "c")));
        assertThrows(IllegalArgumentException.class, () -> w.insert("0.0.0.0/4", Map.of("a", "c")));
        assertThrows(IllegalArgumentException.class, () -> w.insert("example.com/8", Map.of("a", "c")));
    }
}
