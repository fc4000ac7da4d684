package dev.clearance.entitlement.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A dated EAR country-group table (15 CFR 740 Supplement No. 1) with the comprehensive
 * embargoes of 15 CFR 746, as read from {@code reference/ear-country-groups.json}.
 * Immutable; directives are validated against it and expanded with it when a snapshot is built.
 */
public final class CountryGroupTable {

    /** The EAR treats Hong Kong as China since 2020 (the table's own note): naming CN covers HK. */
    private static final String CHINA = "CN";
    private static final String HONG_KONG = "HK";

    private final LocalDate issueDate;
    private final Map<String, SortedSet<String>> groups;
    private final SortedSet<String> embargoedRegions;

    private CountryGroupTable(LocalDate issueDate, Map<String, SortedSet<String>> groups, SortedSet<String> embargoedRegions) {
        this.issueDate = issueDate;
        this.groups = groups;
        this.embargoedRegions = embargoedRegions;
    }

    /**
     * Reads the table.
     *
     * @param excludedRegions embargo codes to leave out (the file marks Syria as configurable)
     */
    public static CountryGroupTable read(InputStream json, Collection<String> excludedRegions) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("country-group table is not valid JSON", e);
        }
        String date = text(root, "ecfr_issue_date");
        LocalDate issueDate = LocalDate.parse(date);

        JsonNode groupsNode = required(root, "groups");
        Map<String, SortedSet<String>> groups = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = groupsNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> group = it.next();
            SortedSet<String> codes = new TreeSet<>();
            for (JsonNode code : group.getValue()) {
                codes.add(checkedCountry(code.asText(), group.getKey()));
            }
            groups.put(group.getKey(), java.util.Collections.unmodifiableSortedSet(codes));
        }

        JsonNode embargoes = required(root, "comprehensive_embargoes");
        SortedSet<String> embargoed = new TreeSet<>();
        embargoes.path("countries").fieldNames().forEachRemaining(embargoed::add);
        embargoes.path("regions").fieldNames().forEachRemaining(embargoed::add);
        if (embargoed.isEmpty()) {
            throw new IllegalArgumentException("country-group table lists no comprehensive embargoes");
        }
        excludedRegions.forEach(embargoed::remove);
        return new CountryGroupTable(issueDate, java.util.Collections.unmodifiableMap(groups),
                java.util.Collections.unmodifiableSortedSet(embargoed));
    }

    /** Reads a table given as text (a loaded one); see {@link #read(InputStream, Collection)}. */
    public static CountryGroupTable read(String json, Collection<String> excludedRegions) {
        return read(new java.io.ByteArrayInputStream(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                excludedRegions);
    }

    /** Every group, by label in the table's order, with its sorted ISO codes. */
    public Map<String, SortedSet<String>> groups() {
        return groups;
    }

    public LocalDate issueDate() {
        return issueDate;
    }

    public Set<String> groupLabels() {
        return new TreeSet<>(groups.keySet());
    }

    public boolean knows(String group) {
        return groups.containsKey(group);
    }

    /** ISO 3166-1 alpha-2 countries and ISO 3166-2 regions under comprehensive embargo, sorted. */
    public SortedSet<String> embargoedRegions() {
        return embargoedRegions;
    }

    /**
     * The countries a NATIONALS_OF directive names, with its groups expanded, sorted. Macau is
     * not in D:5 (see the table's note) and is only covered when named.
     *
     * @throws IllegalArgumentException for a group the table does not know
     */
    public SortedSet<String> expand(Collection<String> countries, Collection<String> groupLabels) {
        SortedSet<String> result = new TreeSet<>(countries);
        for (String label : groupLabels) {
            SortedSet<String> members = groups.get(label);
            if (members == null) {
                throw new IllegalArgumentException("unknown EAR country group " + label);
            }
            result.addAll(members);
        }
        if (result.contains(CHINA)) {
            result.add(HONG_KONG);
        }
        return result;
    }

    private static String checkedCountry(String code, String group) {
        if (!code.matches("[A-Z]{2}")) {
            throw new IllegalArgumentException("country group " + group + " lists '" + code + "', not an ISO alpha-2 code");
        }
        return code;
    }

    private static JsonNode required(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw new IllegalArgumentException("country-group table has no '" + field + "'");
        }
        return node;
    }

    private static String text(JsonNode root, String field) {
        return required(root, field).asText();
    }
}
