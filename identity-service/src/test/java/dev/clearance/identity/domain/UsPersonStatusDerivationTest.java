package dev.clearance.identity.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;

import static dev.clearance.identity.domain.AssuranceLevel.IAL1;
import static dev.clearance.identity.domain.AssuranceLevel.IAL2;
import static dev.clearance.identity.domain.AssuranceLevel.IAL3;
import static dev.clearance.identity.domain.ImmigrationStatus.ADJUSTMENT_PENDING;
import static dev.clearance.identity.domain.ImmigrationStatus.ASYLEE;
import static dev.clearance.identity.domain.ImmigrationStatus.H1B;
import static dev.clearance.identity.domain.ImmigrationStatus.LAWFUL_PERMANENT_RESIDENT;
import static dev.clearance.identity.domain.ImmigrationStatus.NONE;
import static dev.clearance.identity.domain.ImmigrationStatus.REFUGEE;
import static dev.clearance.identity.domain.ImmigrationStatus.STUDENT;
import static dev.clearance.identity.domain.UsPersonStatus.FOREIGN_PERSON;
import static dev.clearance.identity.domain.UsPersonStatus.PROTECTED_INDIVIDUAL;
import static dev.clearance.identity.domain.UsPersonStatus.UNKNOWN;
import static dev.clearance.identity.domain.UsPersonStatus.US_CITIZEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class UsPersonStatusDerivationTest {

    private static final Instant NOW = Instant.parse("2026-06-12T21:21:00Z");
    private static final Instant LAST_MONTH = NOW.minus(30, ChronoUnit.DAYS);
    private static final Instant LAST_YEAR = NOW.minus(365, ChronoUnit.DAYS);
    private static final Instant NEXT_YEAR = NOW.plus(365, ChronoUnit.DAYS);

    private static Citizenship birth(String country) {
        return Citizenship.fromBirth(country);
    }

    private static Citizenship acquired(String country, String date) {
        return Citizenship.acquired(country, LocalDate.parse(date));
    }

    private static Evidence evidence(String id, ImmigrationStatus immigration, AssuranceLevel assurance,
                                     Instant verified, Instant expires, Citizenship... citizenships) {
        return new Evidence(id, List.of(citizenships), immigration, assurance, verified, expires);
    }

    /** Current IAL2 evidence verified last month, valid for a year. */
    private static Evidence current(ImmigrationStatus immigration, Citizenship... citizenships) {
        return evidence("v1", immigration, IAL2, LAST_MONTH, NEXT_YEAR, citizenships);
    }

    static Stream<Arguments> table() {
        return Stream.of(
                // case, evidence, expected status, expected controlling country, expected assurance, deciding
                Arguments.of("US citizen", List.of(current(NONE, birth("US"))), US_CITIZEN, null, IAL2, "v1"),
                Arguments.of("dual US + foreign: US wins", List.of(current(NONE, birth("US"), birth("FR"))),
                        US_CITIZEN, null, IAL2, "v1"),
                Arguments.of("lawful permanent resident", List.of(current(LAWFUL_PERMANENT_RESIDENT, birth("CN"))),
                        UsPersonStatus.LAWFUL_PERMANENT_RESIDENT, null, IAL2, "v1"),
                Arguments.of("asylee", List.of(current(ASYLEE, birth("AF"))), PROTECTED_INDIVIDUAL, null, IAL2, "v1"),
                Arguments.of("refugee", List.of(current(REFUGEE, birth("SY"))), PROTECTED_INDIVIDUAL, null, IAL2, "v1"),
                Arguments.of("H-1B: deemed export", List.of(current(H1B, birth("IN"))), FOREIGN_PERSON, "IN", IAL2, "v1"),
                Arguments.of("student visa", List.of(current(STUDENT, birth("CN"))), FOREIGN_PERSON, "CN", IAL2, "v1"),
                Arguments.of("adjustment of status pending is not LPR",
                        List.of(current(ADJUSTMENT_PENDING, birth("MX"))), FOREIGN_PERSON, "MX", IAL2, "v1"),
                Arguments.of("naturalised citizen born abroad",
                        List.of(current(NONE, birth("IN"), acquired("US", "2015-03-01"))), US_CITIZEN, null, IAL2, "v1"),
                Arguments.of("no evidence", List.of(), UNKNOWN, null, null, null),
                Arguments.of("expired evidence does not count",
                        List.of(evidence("v1", NONE, IAL2, LAST_YEAR.minus(30, ChronoUnit.DAYS), LAST_MONTH, birth("US"))),
                        UNKNOWN, null, null, null),
                Arguments.of("evidence expiring exactly now does not count",
                        List.of(evidence("v1", NONE, IAL2, LAST_YEAR, NOW, birth("US"))), UNKNOWN, null, null, null),
                Arguments.of("self-asserted still yields the status, at IAL1",
                        List.of(evidence("v1", NONE, IAL1, LAST_MONTH, NEXT_YEAR, birth("US"))), US_CITIZEN, null, IAL1, "v1"),
                Arguments.of("two foreign citizenships: most recently acquired controls",
                        List.of(current(NONE, birth("RU"), acquired("DE", "2019-05-20"), acquired("TR", "2012-01-01"))),
                        FOREIGN_PERSON, "DE", IAL2, "v1"),
                Arguments.of("two citizenships from birth: first listed controls",
                        List.of(current(NONE, birth("GB"), birth("IE"))), FOREIGN_PERSON, "GB", IAL2, "v1"),
                Arguments.of("country of birth is no input: naturalised in GB, born with IN",
                        List.of(current(H1B, birth("IN"), acquired("GB", "2010-07-07"))), FOREIGN_PERSON, "GB", IAL2, "v1"),
                Arguments.of("LPR with a foreign citizenship has no controlling country",
                        List.of(current(LAWFUL_PERMANENT_RESIDENT, birth("IR"))),
                        UsPersonStatus.LAWFUL_PERMANENT_RESIDENT, null, IAL2, "v1"),
                Arguments.of("newest current evidence decides: naturalisation after H-1B",
                        List.of(evidence("old", H1B, IAL2, LAST_YEAR, NEXT_YEAR, birth("IN")),
                                evidence("new", NONE, IAL2, LAST_MONTH, NEXT_YEAR, birth("IN"), acquired("US", "2026-05-01"))),
                        US_CITIZEN, null, IAL2, "new"),
                Arguments.of("newest decides even downwards: LPR record superseded by a student visa",
                        List.of(evidence("old", LAWFUL_PERMANENT_RESIDENT, IAL3, LAST_YEAR, NEXT_YEAR, birth("BR")),
                                evidence("new", STUDENT, IAL2, LAST_MONTH, NEXT_YEAR, birth("BR"))),
                        FOREIGN_PERSON, "BR", IAL2, "new"),
                Arguments.of("newest expired: the older current one decides",
                        List.of(evidence("old", NONE, IAL2, LAST_YEAR, NEXT_YEAR, birth("US")),
                                evidence("new", H1B, IAL2, LAST_MONTH, NOW.minusSeconds(1), birth("IN"))),
                        US_CITIZEN, null, IAL2, "old"),
                Arguments.of("same verify time: stronger assurance decides",
                        List.of(evidence("a", NONE, IAL1, LAST_MONTH, NEXT_YEAR, birth("US")),
                                evidence("b", H1B, IAL3, LAST_MONTH, NEXT_YEAR, birth("IN"))),
                        FOREIGN_PERSON, "IN", IAL3, "b"),
                Arguments.of("not yet verified (future verify time) does not count",
                        List.of(evidence("v1", NONE, IAL2, NOW.plusSeconds(60), NEXT_YEAR, birth("US"))),
                        UNKNOWN, null, null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void derives(String description, List<Evidence> evidence, UsPersonStatus status, String controlling,
                 AssuranceLevel assurance, String deciding) {
        DerivedStatus derived = UsPersonStatusDerivation.derive(evidence, NOW);
        assertEquals(status, derived.status(), "status");
        assertEquals(controlling, derived.controllingCountry(), "controlling country");
        assertEquals(assurance, derived.assuranceLevel(), "assurance");
        assertEquals(deciding, derived.decidingVerification(), "deciding verification");
    }

    @Test
    void reportsTheDecidingEvidencesCitizenshipsAndTimes() {
        Evidence naturalised = current(NONE, birth("IN"), acquired("US", "2015-03-01"));
        DerivedStatus derived = UsPersonStatusDerivation.derive(List.of(naturalised), NOW);
        assertEquals(List.of(birth("IN"), acquired("US", "2015-03-01")), derived.citizenships());
        assertEquals(LAST_MONTH, derived.verifyTime());
        assertEquals(NEXT_YEAR, derived.expireTime());
    }

    @Test
    void unknownCarriesNothing() {
        DerivedStatus derived = UsPersonStatusDerivation.derive(List.of(), NOW);
        assertEquals(List.of(), derived.citizenships());
        assertNull(derived.verifyTime());
        assertNull(derived.expireTime());
    }
}
