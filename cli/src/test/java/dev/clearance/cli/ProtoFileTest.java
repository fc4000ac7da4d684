package dev.clearance.cli;

import dev.clearance.common.v1.AssuranceLevel;
import dev.clearance.entitlement.v1.CarveOut;
import dev.clearance.entitlement.v1.Directive;
import dev.clearance.entitlement.v1.SubjectKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProtoFileTest {

    static final String VALID = """
            id: bis-ed-2026-06-12
            issuer: U.S. Department of Commerce, Bureau of Industry and Security
            reference: BIS-ED-2026-06-12
            citation: 15 CFR 734.13
            receive_time: 2026-06-12T21:21:00Z
            effective_time: "2026-06-12T17:21:00-04:00"
            expire_time: 2027-01-01
            scope:
              - {family: families/fable, from_version: fable-5}
              - family: families/mythos
            subjects:
              kind: foreign-persons
            minimum_assurance: IAL2
            maximum_evidence_age: 365d
            carve_outs: [licensed_persons, {programme: programmes/cyber}]
            """;

    private static ProtoFile.Parsed<Directive> parse(String text) {
        return ProtoFile.parse("directive.yaml", text, Directive.getDefaultInstance(), Set.of("id"));
    }

    private static List<String> problems(String text) {
        ProtoFile.InvalidFileException e = assertThrows(ProtoFile.InvalidFileException.class, () -> parse(text));
        assertEquals(ExitCodes.USAGE, e.exitCode());
        return List.of(e.getMessage().split("\n"));
    }

    @Test
    void aValidDirectiveMapsEveryField() {
        ProtoFile.Parsed<Directive> parsed = parse(VALID);
        Directive d = parsed.message();
        assertEquals("bis-ed-2026-06-12", parsed.extras().get("id"));
        assertEquals("15 CFR 734.13", d.getCitation());
        assertEquals(1781299260L, d.getReceiveTime().getSeconds());
        assertEquals(1781299260L, d.getEffectiveTime().getSeconds(), "offsets are honoured");
        assertEquals(1798761600L, d.getExpireTime().getSeconds(), "a date is midnight UTC");
        assertEquals(2, d.getScopeCount());
        assertEquals("fable-5", d.getScope(0).getFromVersion());
        assertEquals("families/mythos", d.getScope(1).getFamily());
        assertEquals(SubjectKind.SUBJECT_KIND_FOREIGN_PERSONS, d.getSubjects().getKind());
        assertEquals(AssuranceLevel.ASSURANCE_LEVEL_IAL2, d.getMinimumAssurance());
        assertEquals(365L * 86400, d.getMaximumEvidenceAge().getSeconds());
        assertEquals(List.of(CarveOut.newBuilder().setLicensedPersons(true).build(),
                CarveOut.newBuilder().setProgramme("programmes/cyber").build()), d.getCarveOutsList());
        assertEquals(12, parsed.lines().get("subjects.kind"));
        assertEquals(10, parsed.lines().get("scope[1]"));
    }

    @Test
    void jsonIsReadTooWithItsCamelCaseNames() {
        Directive d = parse("""
                {"id": "x", "citation": "c",
                 "minimumAssurance": "ASSURANCE_LEVEL_IAL3",
                 "subjects": {"kind": "NATIONALS_OF", "countryGroups": ["D:5"], "countries": "MO"}}
                """).message();
        assertEquals(AssuranceLevel.ASSURANCE_LEVEL_IAL3, d.getMinimumAssurance());
        assertEquals(List.of("D:5"), d.getSubjects().getCountryGroupsList());
        assertEquals(List.of("MO"), d.getSubjects().getCountriesList(), "one value where a list is expected");
    }

    @Test
    void aMisspelledEnumValuePointsAtItsLineAndField() {
        List<String> problems = problems(VALID.replace("kind: foreign-persons", "kind: FORIEGN"));
        assertEquals(List.of("directive.yaml:12: subjects.kind: unknown value \"FORIEGN\" (one of FOREIGN_PERSONS,"
                + " NON_CITIZENS, NATIONALS_OF)"), problems);
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsLine() {
        List<String> problems = problems("""
                id: x
                citation: c
                efective_time: 2026-06-12T21:21:00Z
                expire_time: next tuesday
                scope: [{family: families/fable, from_version: [a, b]}]
                subjects: FOREIGN_PERSONS
                maximum_evidence_age: forever
                carve_outs: [everyone]
                """);
        assertEquals(6, problems.size(), String.join("\n", problems));
        assertTrue(problems.get(0).startsWith("directive.yaml:3: efective_time: unknown field (known: name, issuer,"),
                problems.get(0));
        assertTrue(problems.get(1).startsWith("directive.yaml:4: expire_time: expected a time"), problems.get(1));
        assertEquals("directive.yaml:5: scope[0].from_version: expected a single value, found a list", problems.get(2));
        assertTrue(problems.get(3).startsWith("directive.yaml:6: subjects: expected a mapping of kind, countries,"),
                problems.get(3));
        assertTrue(problems.get(4).startsWith("directive.yaml:7: maximum_evidence_age: expected a duration"),
                problems.get(4));
        assertTrue(problems.get(5).startsWith("directive.yaml:8: carve_outs[0]: expected a mapping of licensed_persons,"),
                problems.get(5));
    }

    @Test
    void brokenYamlAndEmptyFilesAndTwoOneofMembersAreProblemsToo() {
        assertTrue(problems("id: x\nscope: [unclosed\n").get(0).startsWith("directive.yaml:3: not valid YAML or JSON"));
        assertEquals(List.of("directive.yaml:1: the file is empty"), problems(""));
        assertEquals(List.of("directive.yaml:2: carve_outs[0].organisation: only one of licensed_persons, programme,"
                        + " organisation may be given"),
                problems("carve_outs:\n  - {programme: programmes/p, organisation: organisations/o}\n").subList(0, 1)
                        .stream().map(s -> s.replace(", licence", "")).toList());
        assertEquals(List.of("directive.yaml:2: citation: given twice"), problems("citation: a\ncitation: b\n"));
    }

    @Test
    void aServerFieldPathIsFoundAtItsLineOrItsNearestParent() {
        ProtoFile.Parsed<Directive> parsed = parse(VALID);
        assertEquals(12, parsed.lineOf("directive.subjects.kind", "directive"));
        assertEquals(9, parsed.lineOf("directive.scope[0].family", "directive"));
        assertEquals(11, parsed.lineOf("directive.subjects.countries[0]", "directive"), "the parent, subjects");
        assertEquals(0, parsed.lineOf("directive_id", "directive"));
    }

    @ParameterizedTest
    @CsvSource({"30s,30", "2m,120", "12h30m,45000", "90d,7776000", "1500ms,1"})
    void durationsAsPeopleTypeThem(String text, long seconds) {
        assertEquals(seconds, Durations.parse(text).getSeconds());
    }

    @ParameterizedTest
    @CsvSource({"''", "10", "5 minutes", "h", "3w"})
    void nonsenseDurationsAreRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
    }
}
