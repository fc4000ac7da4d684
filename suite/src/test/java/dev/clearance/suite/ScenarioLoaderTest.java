package dev.clearance.suite;

import dev.clearance.common.v1.AssuranceLevel;
import dev.clearance.entitlement.v1.Directive;
import dev.clearance.entitlement.v1.FamilyScope;
import dev.clearance.entitlement.v1.SubjectKind;
import dev.clearance.identity.v1.Citizenship;
import dev.clearance.identity.v1.ImmigrationStatus;
import dev.clearance.identity.v1.Verification;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the loader sends, without a server: the request messages built from the scenario. */
class ScenarioLoaderTest {

    private final Scenario scenario = Scenario.load(Scenario.defaultFile());

    private Verification verificationOf(String person) {
        return ScenarioLoader.verification(scenario.verificationDefaults(), scenario.people().get(person));
    }

    @Test
    void aDualNationalKeepsBothCitizenshipsWithTheAcquiredDate() {
        Verification dana = verificationOf("dana");
        assertEquals(List.of(
                Citizenship.newBuilder().setCountry("US").build(),
                Citizenship.newBuilder().setCountry("FR").setAcquireDate("2014-07-14").build()),
                dana.getCitizenshipsList());
        assertEquals(AssuranceLevel.ASSURANCE_LEVEL_IAL2, dana.getAssuranceLevel());
        assertEquals(ImmigrationStatus.IMMIGRATION_STATUS_NONE, dana.getImmigrationStatus());
        assertEquals(Instant.parse("2027-11-01T00:00:00Z").getEpochSecond(), dana.getExpireTime().getSeconds());
    }

    @Test
    void personalDetailsOverrideTheDefaults() {
        assertEquals(ImmigrationStatus.IMMIGRATION_STATUS_H1B, verificationOf("bogdan").getImmigrationStatus());
        assertEquals(ImmigrationStatus.IMMIGRATION_STATUS_LAWFUL_PERMANENT_RESIDENT,
                verificationOf("chen").getImmigrationStatus());
        assertEquals(AssuranceLevel.ASSURANCE_LEVEL_IAL1, verificationOf("frank").getAssuranceLevel());
        assertTrue(verificationOf("bogdan").getEvidenceReference().contains("H-1B"));
    }

    @Test
    void theDirectiveCoversFable5AndMythos5OnForeignPersonsWithTheLicenceCarveOut() {
        Directive d = ScenarioLoader.directive(scenario.directive());
        assertEquals(List.of(
                FamilyScope.newBuilder().setFamily("families/fable").setFromVersion("fable-5").build(),
                FamilyScope.newBuilder().setFamily("families/mythos").setFromVersion("mythos-5").build()),
                d.getScopeList());
        assertEquals(SubjectKind.SUBJECT_KIND_FOREIGN_PERSONS, d.getSubjects().getKind());
        assertEquals(AssuranceLevel.ASSURANCE_LEVEL_IAL2, d.getMinimumAssurance());
        assertEquals(1, d.getCarveOutsCount());
        assertTrue(d.getCarveOuts(0).getLicensedPersons());
        assertEquals("BIS-ED-2026-06-12", d.getReference());
        assertEquals(Instant.parse("2026-06-12T21:21:00Z").getEpochSecond(), d.getEffectiveTime().getSeconds());
    }

    @Test
    void carveOutsNameProgrammesAndOrganisations() {
        assertEquals("programmes/glasswing", ScenarioLoader.carveOut("programme:glasswing").getProgramme());
        assertEquals("organisations/agency", ScenarioLoader.carveOut("organisation:agency").getOrganisation());
        assertThrows(IllegalArgumentException.class, () -> ScenarioLoader.carveOut("everyone"));
    }
}
