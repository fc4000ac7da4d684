package dev.clearance.identity.screening;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clearance.identity.validation.CountryCodes;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the Consolidated Screening List in the two formats data.trade.gov publishes.
 *
 * <ul>
 *   <li>CSV ({@code consolidated.csv}): a header row naming the columns ({@code _id}, {@code source},
 *       {@code type}, {@code name}, {@code alt_names}, {@code addresses}, {@code citizenships},
 *       {@code nationalities}, ... in any order); multi-valued cells separated by {@code ;};
 *       each address is comma-separated with the country code last.</li>
 *   <li>JSON ({@code consolidated.json}): {@code {"results": [...]}} (or a bare array) of
 *       records with {@code id}, {@code source}, {@code type}, {@code name}, {@code alt_names},
 *       {@code addresses[].country}, {@code citizenships}, {@code nationalities}.</li>
 * </ul>
 * Unknown columns and fields are ignored. Refused as malformed: not UTF-8, unparseable, no
 * {@code name}/{@code source}/id column, a row of the wrong width, an entry without id or name,
 * a duplicate id, and a list with no entries at all (a truncated download must not make everyone
 * clear).
 */
public final class ScreeningListParser {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ScreeningListParser() {
    }

    public static List<ListedParty> parse(String source, byte[] content) throws MalformedListException {
        String text = utf8(content);
        String lower = source.toLowerCase(Locale.ROOT);
        List<ListedParty> parties;
        if (lower.endsWith(".csv")) {
            parties = parseCsv(text);
        } else if (lower.endsWith(".json")) {
            parties = parseJson(text);
        } else {
            throw new MalformedListException(source + ": unknown format; the file name must end in .csv or .json");
        }
        if (parties.isEmpty()) {
            throw new MalformedListException("the list has no entries");
        }
        Set<String> ids = new HashSet<>();
        for (ListedParty p : parties) {
            if (!ids.add(p.id())) {
                throw new MalformedListException("duplicate entry id " + p.id());
            }
        }
        return parties;
    }

    static List<ListedParty> parseCsv(String text) throws MalformedListException {
        List<CsvRecords.Row> rows = CsvRecords.parse(text);
        if (rows.isEmpty()) {
            throw new MalformedListException("empty file");
        }
        List<String> header = rows.get(0).fields().stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
        Map<String, Integer> column = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            column.putIfAbsent(header.get(i), i);
        }
        Integer idColumn = column.containsKey("_id") ? column.get("_id") : column.get("id");
        for (String required : List.of("name", "source")) {
            if (!column.containsKey(required)) {
                throw new MalformedListException("line 1: no '" + required + "' column in the header");
            }
        }
        if (idColumn == null) {
            throw new MalformedListException("line 1: no '_id' column in the header");
        }
        List<ListedParty> parties = new ArrayList<>();
        for (CsvRecords.Row row : rows.subList(1, rows.size())) {
            List<String> f = row.fields();
            if (f.size() != header.size()) {
                throw new MalformedListException("line " + row.line() + ": " + f.size() + " fields, the header has "
                        + header.size());
            }
            String id = f.get(idColumn).strip();
            String name = f.get(column.get("name")).strip();
            if (id.isEmpty() || name.isEmpty()) {
                throw new MalformedListException("line " + row.line() + ": entry without " + (id.isEmpty() ? "_id" : "name"));
            }
            Set<String> countries = new LinkedHashSet<>();
            for (String address : multi(cell(f, column, "addresses"))) {
                String[] parts = address.split(",");
                addCountry(countries, parts[parts.length - 1]);
            }
            multi(cell(f, column, "citizenships")).forEach(c -> addCountry(countries, c));
            multi(cell(f, column, "nationalities")).forEach(c -> addCountry(countries, c));
            parties.add(new ListedParty(id, f.get(column.get("source")).strip(), cell(f, column, "type").strip(), name,
                    multi(cell(f, column, "alt_names")), List.copyOf(countries)));
        }
        return parties;
    }

    static List<ListedParty> parseJson(String text) throws MalformedListException {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JacksonException e) {
            throw new MalformedListException("not valid JSON: line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr(), e);
        }
        JsonNode results = root != null && root.isObject() ? root.get("results") : root;
        if (results == null || !results.isArray()) {
            throw new MalformedListException("no 'results' array");
        }
        List<ListedParty> parties = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            JsonNode r = results.get(i);
            String id = text(r, "id");
            String name = text(r, "name");
            if (id.isEmpty() || name.isEmpty()) {
                throw new MalformedListException("results[" + i + "]: entry without " + (id.isEmpty() ? "id" : "name"));
            }
            Set<String> countries = new LinkedHashSet<>();
            JsonNode addresses = r.get("addresses");
            if (addresses != null && addresses.isArray()) {
                addresses.forEach(a -> addCountry(countries, text(a, "country")));
            }
            strings(r.get("citizenships")).forEach(c -> addCountry(countries, c));
            strings(r.get("nationalities")).forEach(c -> addCountry(countries, c));
            parties.add(new ListedParty(id, text(r, "source"), text(r, "type"), name, strings(r.get("alt_names")),
                    List.copyOf(countries)));
        }
        return parties;
    }

    private static String utf8(byte[] content) throws MalformedListException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedListException("not UTF-8 text", e);
        }
    }

    private static String cell(List<String> fields, Map<String, Integer> column, String name) {
        Integer i = column.get(name);
        return i == null ? "" : fields.get(i);
    }

    private static List<String> multi(String cell) {
        List<String> values = new ArrayList<>();
        for (String v : cell.split(";")) {
            if (!v.isBlank()) {
                values.add(v.strip());
            }
        }
        return values;
    }

    private static void addCountry(Set<String> countries, String value) {
        CountryCodes.toAlpha2(value).ifPresent(countries::add);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() || !v.isValueNode() ? "" : v.asText().strip();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(v -> {
                if (v.isValueNode() && !v.asText().isBlank()) {
                    values.add(v.asText().strip());
                }
            });
        }
        return values;
    }
}
