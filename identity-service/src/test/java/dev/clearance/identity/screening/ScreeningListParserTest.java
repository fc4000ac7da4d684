package dev.clearance.identity.screening;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScreeningListParserTest {

    private static byte[] resource(String path) throws IOException {
        try (InputStream in = ScreeningListParserTest.class.getResourceAsStream(path)) {
            return in.readAllBytes();
        }
    }

    private static List<ListedParty> parse(String name, String text) throws MalformedListException {
        return ScreeningListParser.parse(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private static String problem(String name, String text) {
        return assertThrows(MalformedListException.class, () -> parse(name, text)).getMessage();
    }

    private static final String HEADER = "_id,source,type,name,alt_names,addresses,citizenships,nationalities\n";

    @Test
    void shippedSamplesInBothFormatsSayTheSame() throws Exception {
        List<ListedParty> json = ScreeningListParser.parse("consolidated-sample.json", resource("/screening/consolidated-sample.json"));
        List<ListedParty> csv = ScreeningListParser.parse("consolidated-sample.csv", resource("/screening/consolidated-sample.csv"));
        assertEquals(6, json.size());
        assertEquals(json, csv);
        ListedParty odt = json.get(0);
        assertEquals("Orbital Dynamics Trading Co., Ltd.", odt.name());
        assertEquals(List.of("Orbital Dynamics Trading LLC", "ODT Hong Kong"), odt.altNames());
        assertEquals(List.of("HK", "CN"), odt.countries());
        assertEquals(List.of("BY"), json.get(1).countries(), "address, citizenship and nationality, once");
    }

    @Test
    void jsonToleratesUnknownFieldsNullsAndAlpha3() throws Exception {
        List<ListedParty> parties = ScreeningListParser.parse("x.json", resource("/screening/consolidated-test.json"));
        assertEquals(2, parties.size());
        assertEquals(List.of("AZ"), parties.get(0).countries());
        assertEquals(List.of(), parties.get(1).altNames());
        assertEquals(List.of("NG"), parties.get(1).countries());
        assertEquals(parties, ScreeningListParser.parse("y.json",
                ("[" + new String(resource("/screening/consolidated-test.json"), StandardCharsets.UTF_8)
                        .replaceFirst("(?s)^.*?\"results\": \\[", "").replaceFirst("(?s)\\]\\s*}\\s*$", "") + "]")
                        .getBytes(StandardCharsets.UTF_8)), "a bare array is accepted too");
    }

    @Test
    void csvColumnsByNameWithQuotesAndCrlf() throws Exception {
        List<ListedParty> parties = parse("list.csv", "name,_id,source,extra\r\n"
                + "\"Smith, \"\"Red\"\" John\",id-1,SDN,\"multi\r\nline\"\r\n");
        assertEquals(1, parties.size());
        assertEquals("Smith, \"Red\" John", parties.get(0).name());
        assertEquals("id-1", parties.get(0).id());
    }

    @Test
    void malformedListsAreRefusedWithTheReason() {
        assertTrue(problem("l.csv", HEADER + "a,SDN,Entity,Acme\n").startsWith("line 2: 4 fields, the header has 8"));
        assertTrue(problem("l.csv", HEADER + "a,SDN,Entity,\"Acme,,,,\n").startsWith("line 2: unterminated quoted field"));
        assertTrue(problem("l.csv", HEADER + "a,SDN,Entity,Ac\"me,,,,\n").contains("quote inside an unquoted field"));
        assertTrue(problem("l.csv", "_id,source,title\na,SDN,x\n").contains("no 'name' column"));
        assertTrue(problem("l.csv", HEADER + ",SDN,Entity,Acme,,,,\n").contains("entry without _id"));
        assertTrue(problem("l.csv", HEADER).contains("no entries"));
        assertTrue(problem("l.csv", HEADER + "a,SDN,,Acme,,,,\na,SDN,,Other,,,,\n").contains("duplicate entry id a"));
        assertTrue(problem("l.json", "{\"results\": [{\"id\": \"a\", \"name\": \"Acme\"},").startsWith("not valid JSON"));
        assertTrue(problem("l.json", "{\"total\": 0}").contains("no 'results' array"));
        assertTrue(problem("l.json", "{\"results\": [{\"id\": \"a\"}]}").contains("results[0]: entry without name"));
        assertTrue(problem("l.xml", "<list/>").contains("unknown format"));
        assertTrue(assertThrows(MalformedListException.class, () -> ScreeningListParser.parse("l.csv",
                new byte[]{'_', 'i', 'd', (byte) 0xC3, (byte) 0x28})).getMessage().contains("not UTF-8"));
    }
}
