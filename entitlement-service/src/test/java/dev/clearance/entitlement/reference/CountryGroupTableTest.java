package dev.clearance.entitlement.reference;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CountryGroupTableTest {

    private static CountryGroupTable bundled(List<String> excluded) {
        InputStream in = CountryGroupTableTest.class.getClassLoader()
                .getResourceAsStream(CountryGroupTableProducer.BUNDLED);
        return CountryGroupTable.read(in, excluded);
    }

    @Test
    void bundledTableKeepsItsIssueDateAndGroups() {
        CountryGroupTable table = bundled(List.of());
        assertEquals(LocalDate.of(2026, 7, 23), table.issueDate());
        assertTrue(table.knows("D:5"));
        assertTrue(table.knows("E:1"));
        assertFalse(table.knows("D:9"));
        assertFalse(table.knows("d:5"), "labels are exact");
    }

    @Test
    void expandsD5WithoutMacauButWithHongKongForChina() {
        CountryGroupTable table = bundled(List.of());
        Set<String> d5 = table.expand(List.of(), List.of("D:5"));
        assertTrue(d5.containsAll(Set.of("CN", "RU", "IR", "KP", "VE", "AF")), d5.toString());
        assertTrue(d5.contains("HK"), "the EAR treats Hong Kong as China");
        assertFalse(d5.contains("MO"), "Macau is not in D:5");
        assertFalse(d5.contains("KH"), "Cambodia left D:5 in February 2026");

        Set<String> withMacau = table.expand(List.of("MO"), List.of("D:5"));
        assertTrue(withMacau.contains("MO"));
        assertEquals(d5.size() + 1, withMacau.size());
    }

    @Test
    void namedCountriesOnlyExpandChinaToHongKong() {
        CountryGroupTable table = bundled(List.of());
        assertEquals(Set.of("FR", "TR"), table.expand(List.of("TR", "FR"), List.of()));
        assertEquals(Set.of("CN", "HK"), table.expand(List.of("CN"), List.of()));
    }

    @Test
    void unknownGroupIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> bundled(List.of()).expand(List.of(), List.of("Z:1")));
    }

    @Test
    void embargoesComeFromPart746AndCanExcludeSyria() {
        assertEquals(Set.of("CU", "IR", "KP", "SY", "UA-09", "UA-14", "UA-40", "UA-43"),
                bundled(List.of()).embargoedRegions());
        assertFalse(bundled(List.of("SY")).embargoedRegions().contains("SY"));
    }

    @Test
    void rejectsTablesWithNonIsoCodes() {
        String json = """
                {"ecfr_issue_date": "2026-01-01", "groups": {"D:5": ["China"]},
                 "comprehensive_embargoes": {"countries": {"CU": "746.2"}}}""";
        assertThrows(IllegalArgumentException.class, () -> CountryGroupTable.read(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), List.of()));
    }
}
