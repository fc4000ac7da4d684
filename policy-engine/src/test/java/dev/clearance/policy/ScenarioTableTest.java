package dev.clearance.policy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every row of the reference scenario's {@code expected} table (demo/scenario.yaml, the same
 * file bin/up and the end-to-end test load), decided by the evaluator: before the directive,
 * with it enforced, and after it is revoked.
 */
class ScenarioTableTest {

    /** An hour after the directive took effect; every verification and licence is valid then. */
    private static final Instant NOW = Instant.parse("2026-06-12T22:21:00Z");

    private static Map<String, Object> scenario;
    private static PolicyInputs withoutDirective;
    private static PolicyInputs enforced;
    private static Map<String, Caller> callers;

    @BeforeAll
    static void load() throws IOException {
        Path file = Path.of("..", "demo", "scenario.yaml");
        try (Reader r = Files.newBufferedReader(file)) {
            scenario = new Yaml(new LoaderOptions()).load(r);
        }
        withoutDirective = inputs(false);
        enforced = inputs(true);
        callers = callers();
    }

    @TestFactory
    Stream<DynamicTest> withTheDirectiveEnforced() {
        PolicySnapshot snapshot = PolicySnapshot.compile(enforced);
        return rows().stream().map(row -> DynamicTest.dynamicTest(label(row), () -> check(snapshot, row, false)));
    }

    @TestFactory
    Stream<DynamicTest> beforeTheDirective() {
        PolicySnapshot snapshot = PolicySnapshot.compile(withoutDirective);
        return rows().stream().map(row -> DynamicTest.dynamicTest(label(row), () -> check(snapshot, row, true)));
    }

    @TestFactory
    Stream<DynamicTest> afterTheDirectiveIsRevoked() {
        // A revoked directive leaves the snapshot (only SHADOW and ENFORCED ones are shipped).
        PolicySnapshot first = PolicySnapshot.compile(enforced);
        PolicySnapshot revoked = PolicySnapshot.compile(withoutDirective);
        assertTrue(first.isControlled("fable-5"));
        return rows().stream().map(row -> DynamicTest.dynamicTest(label(row), () -> check(revoked, row, true)));
    }

    @Test
    void everyExpectedRowNamesAKnownCaller() {
        assertFalse(rows().isEmpty());
        assertEquals(14, rows().size(), "the scenario has 14 expected rows");
        for (Map<String, Object> row : rows()) {
            assertTrue(callers.containsKey((String) row.get("who")), "unknown caller " + row.get("who"));
        }
    }

    private static void check(PolicySnapshot snapshot, Map<String, Object> row, boolean beforeDirective) {
        Caller caller = callers.get((String) row.get("who"));
        String model = (String) row.get("model");
        boolean fallback = !"forbidden".equals(row.get("fallback"));
        Decision d = Evaluator.decide(snapshot, caller, AccessRequest.of(model, fallback, NOW));

        String reason = (String) row.get("reason");
        Outcome outcome = Outcome.valueOf((String) row.get("outcome"));
        String served = (String) row.get("served");
        if (beforeDirective && "DIRECTIVE".equals(reason)) {
            // Without the directive the caller reaches what they asked for.
            outcome = Outcome.ALLOW;
            served = null;
            reason = null;
        }
        String expectedServed = served != null ? served
                : outcome == Outcome.DENY ? null : snapshot.inputs().aliases().getOrDefault(model, model);
        assertEquals(outcome, d.outcome(), () -> "decision " + d);
        assertEquals(expectedServed, d.servedModel(), () -> "decision " + d);
        if (reason != null) {
            assertEquals(ReasonCode.valueOf(reason), d.primaryReason().code(), () -> "decision " + d);
        } else {
            assertEquals(ReasonCode.ENTITLED, d.primaryReason().code(), () -> "decision " + d);
        }
        if (ReasonCode.DIRECTIVE.name().equals(reason)) {
            assertEquals("directives/" + directive().get("id"), d.primaryReason().directive());
            assertEquals(directive().get("citation"), d.primaryReason().citation());
        }
        if (outcome == Outcome.DENY) {
            assertNull(d.servedModel());
        }
    }

    private static String label(Map<String, Object> row) {
        return row.get("who") + " asks for " + row.get("model")
                + ("forbidden".equals(row.get("fallback")) ? " (no fallback)" : "");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rows() {
        return (List<Map<String, Object>>) scenario.get("expected");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> directive() {
        return (Map<String, Object>) scenario.get("directive");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Object o) {
        return o == null ? List.of() : (List<String>) o;
    }

    private static PolicyInputs inputs(boolean withDirective) {
        List<ModelFamily> families = new ArrayList<>();
        Map<String, String> aliases = new LinkedHashMap<>();
        for (Object f : (List<?>) map(scenario.get("catalogue")).get("families")) {
            Map<String, Object> family = map(f);
            List<ModelVersion> versions = list(family.get("versions")).stream()
                    .map(v -> new ModelVersion(v, VersionStatus.GA)).toList();
            families.add(new ModelFamily((String) family.get("family"), Boolean.TRUE.equals(family.get("controlled")), versions));
            map(family.get("aliases")).forEach((alias, target) -> aliases.put(alias, (String) target));
        }
        List<Tier> tiers = new ArrayList<>();
        map(scenario.get("tiers")).forEach((id, patterns) -> tiers.add(new Tier(id, list(patterns))));

        Map<String, Set<String>> members = new HashMap<>();
        List<Subscription> subscriptions = new ArrayList<>();
        map(scenario.get("organisations")).forEach((id, o) -> {
            Map<String, Object> org = map(o);
            subscriptions.add(new Subscription("organisations/" + id, (String) org.get("tier")));
            for (String programme : list(org.get("programmes"))) {
                members.computeIfAbsent(programme, k -> new HashSet<>()).add("organisations/" + id);
            }
        });
        List<Programme> programmes = new ArrayList<>();
        map(scenario.get("programmes")).forEach((id, p) -> programmes.add(
                new Programme(id, list(map(p).get("models")), members.getOrDefault(id, Set.of()))));

        List<Licence> licences = new ArrayList<>();
        map(scenario.get("people")).forEach((id, p) -> {
            Map<String, Object> licence = map(map(p).get("licence"));
            if (!licence.isEmpty()) {
                String[] valid = ((String) licence.get("valid")).split("\\.\\.");
                licences.add(new Licence("licences/" + id, (String) licence.get("reference"), null,
                        Set.of("persons/" + id), list(licence.get("covers")),
                        LocalDate.parse(valid[0]).atStartOfDay().toInstant(ZoneOffset.UTC),
                        LocalDate.parse(valid[1]).atStartOfDay().toInstant(ZoneOffset.UTC)));
            }
        });

        List<Directive> directives = new ArrayList<>();
        if (withDirective) {
            Map<String, Object> d = directive();
            Map<String, Object> scope = map(d.get("scope"));
            Map<String, Object> from = map(scope.get("from_version"));
            List<Directive.FamilyScope> familyScopes = list(scope.get("families")).stream()
                    .map(f -> new Directive.FamilyScope(f, (String) from.get(f))).toList();
            List<Directive.CarveOut> carveOuts = list(d.get("carve_outs")).stream()
                    .map(c -> switch (c) {
                        case "licensed_persons" -> Directive.CarveOut.licensedPersons();
                        default -> throw new IllegalArgumentException("carve-out " + c);
                    }).toList();
            DirectiveSubjects.Kind kind = DirectiveSubjects.Kind.valueOf((String) map(d.get("subjects")).get("kind"));
            directives.add(new Directive("directives/" + d.get("id"), (String) d.get("citation"), Directive.Mode.ENFORCED,
                    Instant.parse((String) d.get("effective_at")), null, familyScopes,
                    new DirectiveSubjects(kind, null, null, null),
                    AssuranceLevel.valueOf((String) d.get("minimum_assurance")), null, carveOuts));
        }
        return new PolicyInputs(withDirective ? 2 : 1, families, aliases, tiers, programmes, subscriptions, List.of(),
                licences, directives, CountryGroups.EMPTY);
    }

    /**
     * Callers as identity-service would resolve them. The status here follows DESIGN.md's
     * rules in their simplest form (any US citizenship, then permanent residency or protection,
     * else foreign); identity-service's own derivation is tested in that module.
     */
    private static Map<String, Caller> callers() {
        Map<String, Object> defaults = map(scenario.get("verification_defaults"));
        Map<String, Caller> out = new HashMap<>();
        map(scenario.get("people")).forEach((id, p) -> {
            Map<String, Object> person = map(p);
            String org = "organisations/" + person.get("org");
            if ("organisation-api-key".equals(person.get("kind"))) {
                out.put(id, Caller.organisationKey(org, ScreeningStatus.CLEAR, 1));
                return;
            }
            List<String> citizenships = list(person.get("citizenships"));
            String immigration = (String) person.getOrDefault("immigration_status", defaults.get("immigration_status"));
            UsPersonStatus status = citizenships.contains("US") ? UsPersonStatus.US_CITIZEN
                    : "LAWFUL_PERMANENT_RESIDENT".equals(immigration) ? UsPersonStatus.LAWFUL_PERMANENT_RESIDENT
                    : "REFUGEE".equals(immigration) || "ASYLEE".equals(immigration) ? UsPersonStatus.PROTECTED_INDIVIDUAL
                    : UsPersonStatus.FOREIGN_PERSON;
            AssuranceLevel assurance = AssuranceLevel.valueOf((String) person.getOrDefault("assurance", defaults.get("assurance")));
            out.put(id, new Caller("persons/" + id, org, status, Set.copyOf(citizenships),
                    status.isUsPerson() ? null : citizenships.get(citizenships.size() - 1), assurance,
                    Instant.parse((String) defaults.get("verified_at")), Instant.parse((String) defaults.get("expires_at")),
                    ScreeningStatus.CLEAR, 1));
        });
        return out;
    }
}
