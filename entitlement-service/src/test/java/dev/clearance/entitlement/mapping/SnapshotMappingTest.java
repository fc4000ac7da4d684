package dev.clearance.entitlement.mapping;

import dev.clearance.entitlement.domain.CarveOutKind;
import dev.clearance.entitlement.domain.CitizenshipMode;
import dev.clearance.entitlement.domain.DirectiveCarveOutEntity;
import dev.clearance.entitlement.domain.DirectiveEntity;
import dev.clearance.entitlement.domain.DirectiveScopeEntity;
import dev.clearance.entitlement.domain.DirectiveState;
import dev.clearance.entitlement.domain.DirectiveSubjectEntity;
import dev.clearance.entitlement.domain.ModelFamilyEntity;
import dev.clearance.entitlement.domain.ModelVersionEntity;
import dev.clearance.entitlement.domain.PolicyRecords;
import dev.clearance.entitlement.domain.StoredDirective;
import dev.clearance.entitlement.domain.SubjectCodeKind;
import dev.clearance.entitlement.domain.SubjectKind;
import dev.clearance.entitlement.domain.VersionStatus;
import dev.clearance.entitlement.reference.CountryGroupTable;
import dev.clearance.entitlement.v1.PolicySnapshot;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotMappingTest {

    private static final Instant T = Instant.parse("2026-06-12T21:21:00Z");

    private static CountryGroupTable table() {
        return CountryGroupTable.read(SnapshotMappingTest.class.getClassLoader()
                .getResourceAsStream("reference/ear-country-groups.json"), List.of());
    }

    private static ModelFamilyEntity family(String id) {
        ModelFamilyEntity f = new ModelFamilyEntity();
        f.id = id;
        f.displayName = id;
        f.createTime = T;
        return f;
    }

    private static ModelVersionEntity version(String family, String id, int ordinal) {
        ModelVersionEntity v = new ModelVersionEntity();
        v.id = id;
        v.familyId = family;
        v.ordinal = ordinal;
        v.status = VersionStatus.GA;
        v.createTime = T;
        return v;
    }

    private static StoredDirective directive(String id, DirectiveState state, SubjectKind kind,
                                             List<DirectiveSubjectEntity> subjects) {
        DirectiveEntity d = new DirectiveEntity();
        d.id = id;
        d.issuer = "BIS";
        d.reference = "";
        d.citation = "15 CFR 734.13";
        d.receiveTime = T;
        d.effectiveTime = T;
        d.subjectKind = kind;
        d.citizenshipMode = CitizenshipMode.MOST_RECENT;
        d.state = state;
        d.createTime = T;
        d.updateTime = T;
        return new StoredDirective(d, List.of(new DirectiveScopeEntity(id, 0, "fable", "fable-5")), subjects,
                List.of(new DirectiveCarveOutEntity(id, 0, CarveOutKind.LICENSED_PERSONS, null)));
    }

    private static PolicySnapshot snapshot(List<StoredDirective> directives) {
        PolicyRecords records = new PolicyRecords(42,
                List.of(family("fable"), family("lyric")),
                // deliberately out of order: the snapshot lists each family oldest first, in family order
                List.of(version("lyric", "lyric-3.5", 2), version("fable", "fable-5", 3),
                        version("fable", "fable-4", 1), version("lyric", "lyric-3", 1), version("fable", "fable-4.5", 2)),
                List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), directives);
        return SnapshotMapping.toProto(records, table(), T);
    }

    @Test
    void versionsInFamilyOrderOldestFirst() {
        PolicySnapshot s = snapshot(List.of());
        assertEquals(42, s.getRevision());
        assertEquals(List.of("families/fable/versions/fable-4", "families/fable/versions/fable-4.5",
                        "families/fable/versions/fable-5", "families/lyric/versions/lyric-3",
                        "families/lyric/versions/lyric-3.5"),
                s.getVersionsList().stream().map(v -> v.getName()).toList());
    }

    @Test
    void carriesEmbargoesAndTheTableDate() {
        PolicySnapshot s = snapshot(List.of());
        assertEquals("2026-07-23", s.getCountryGroupsIssueDate());
        assertTrue(s.getEmbargoedRegionsList().containsAll(List.of("CU", "IR", "KP", "SY", "UA-43")));
    }

    @Test
    void onlyShadowAndEnforcedDirectivesAndGroupsExpanded() {
        List<DirectiveSubjectEntity> d5AndMacau = List.of(
                new DirectiveSubjectEntity("d5", 0, SubjectCodeKind.COUNTRY, "MO"),
                new DirectiveSubjectEntity("d5", 1, SubjectCodeKind.COUNTRY_GROUP, "D:5"));
        PolicySnapshot s = snapshot(List.of(
                directive("draft", DirectiveState.DRAFT, SubjectKind.FOREIGN_PERSONS, List.of()),
                directive("d5", DirectiveState.ENFORCED, SubjectKind.NATIONALS_OF, d5AndMacau),
                directive("watch", DirectiveState.SHADOW, SubjectKind.FOREIGN_PERSONS, List.of()),
                directive("gone", DirectiveState.REVOKED, SubjectKind.FOREIGN_PERSONS, List.of())));
        assertEquals(List.of("directives/d5", "directives/watch"),
                s.getDirectivesList().stream().map(d -> d.getName()).toList());
        var subjects = s.getDirectives(0).getSubjects();
        assertTrue(subjects.getCountriesList().containsAll(List.of("MO", "CN", "HK", "RU", "IR")));
        assertFalse(subjects.getCountriesList().contains("GB"));
        assertEquals(List.of("D:5"), subjects.getCountryGroupsList());
        assertEquals(subjects.getCountriesList().stream().sorted().toList(), subjects.getCountriesList());
    }
}
