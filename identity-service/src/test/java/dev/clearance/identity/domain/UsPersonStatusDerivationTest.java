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

import static dev.clearance.identity.domain.DocumentClass.CERTIFICATE_OF_NATURALISATION_OR_CITIZENSHIP;
import static dev.clearance.identity.domain.DocumentClass.PASSPORT;
import static dev.clearance.identity.domain.DocumentClass.PASSPORT_CARD;
import static dev.clearance.identity.domain.DocumentClass.PERMANENT_RESIDENT_CARD;
import static dev.clearance.identity.domain.DocumentClass.REFUGEE_TRAVEL_DOCUMENT;
import static dev.clearance.identity.domain.DocumentClass.VISA;
import static dev.clearance.identity.domain.ImmigrationStatus.OTHER_NONIMMIGRANT;
import static dev.clearance.identity.domain.VerificationState.EXPIRED;
import static dev.clearance.identity.domain.VerificationState.REJECTED;
import static dev.clearance.identity.domain.VerificationState.REVOKED;
import static dev.clearance.identity.domain.VerificationState.VERIFIED;
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
                        UNKNOWN, null, null, null),

                // --- documents, states and history (issue 3) ---
                Arguments.of("revoked evidence does not count",
                        List.of(doc("us-pp", PASSPORT, REVOKED, NONE, LAST_MONTH, NEXT_YEAR, birth("US"))),
                        UNKNOWN, null, null, null),
                Arguments.of("revoked US passport leaves the foreign one",
                        List.of(doc("us-pp", PASSPORT, REVOKED, NONE, LAST_MONTH, NEXT_YEAR, birth("US")),
                                doc("fr-pp", PASSPORT, VERIFIED, NONE, LAST_YEAR, NEXT_YEAR, birth("FR"))),
                        FOREIGN_PERSON, "FR", IAL2, "fr-pp"),
                Arguments.of("expired document does not count, whatever its stored state",
                        List.of(doc("us-pp", PASSPORT, VERIFIED, NONE, LAST_YEAR, LAST_MONTH, birth("US")),
                                doc("us-pc", PASSPORT_CARD, EXPIRED, NONE, LAST_YEAR, LAST_MONTH, birth("US"))),
                        UNKNOWN, null, null, null),
                Arguments.of("expired PR card: the visa that is left decides",
                        List.of(doc("pr", PERMANENT_RESIDENT_CARD, VERIFIED, LAWFUL_PERMANENT_RESIDENT, LAST_YEAR,
                                        NOW.minusSeconds(1), birth("KR")),
                                doc("visa", VISA, VERIFIED, H1B, LAST_YEAR.minusSeconds(60), NEXT_YEAR, birth("KR"))),
                        FOREIGN_PERSON, "KR", IAL2, "visa"),
                Arguments.of("rejected evidence is ignored",
                        List.of(doc("us-pp", PASSPORT, REJECTED, NONE, LAST_MONTH, NEXT_YEAR, birth("US")),
                                doc("in-pp", PASSPORT, VERIFIED, NONE, LAST_YEAR, NEXT_YEAR, birth("IN"))),
                        FOREIGN_PERSON, "IN", IAL2, "in-pp"),
                Arguments.of("dual national: most recently acquired citizenship controls across documents",
                        List.of(doc("ru-pp", PASSPORT, VERIFIED, NONE, LAST_MONTH, NEXT_YEAR, birth("RU")),
                                doc("de-cert", CERTIFICATE_OF_NATURALISATION_OR_CITIZENSHIP, VERIFIED, NONE, LAST_YEAR,
                                        NEXT_YEAR, acquired("DE", "2019-05-20")),
                                doc("tr-cert", CERTIFICATE_OF_NATURALISATION_OR_CITIZENSHIP, VERIFIED, NONE, LAST_YEAR,
                                        NEXT_YEAR, acquired("TR", "2012-01-01"))),
                        FOREIGN_PERSON, "DE", IAL2, "de-cert"),
                Arguments.of("dual national: a naturalisation certificate dates the passport's citizenship",
                        List.of(doc("ca-pp", PASSPORT, VERIFIED, NONE, LAST_YEAR, NEXT_YEAR, birth("CA")),
                                doc("gb-pp", PASSPORT, VERIFIED, NONE, LAST_YEAR, NEXT_YEAR, birth("GB")),
                                doc("ca-cert", CERTIFICATE_OF_NATURALISATION_OR_CITIZENSHIP, VERIFIED, NONE, LAST_MONTH,
                                        NEXT_YEAR, acquired("CA", "2021-09-09"))),
                        FOREIGN_PERSON, "CA", IAL2, "ca-cert"),
                Arguments.of("dual US + foreign by separate passports: US wins even when the foreign one is newer",
                        List.of(doc("us-pp", PASSPORT, VERIFIED, NONE, LAST_YEAR, NEXT_YEAR, birth("US")),
                                doc("fr-pp", PASSPORT, VERIFIED, NONE, LAST_MONTH, NEXT_YEAR, birth("FR"))),
                        US_CITIZEN, null, IAL2, "us-pp"),
                Arguments.of("H-1B visa, then a US naturalisation certificate",
                        List.of(doc("visa", VISA, VERIFIED, H1B, LAST_YEAR, NEXT_YEAR, birth("IN")),
                                doc("us-cert", CERTIFICATE_OF_NATURALISATION_OR_CITIZENSHIP, VERIFIED, NONE, LAST_MONTH,
                                        NEXT_YEAR, acquired("US", "2026-04-01"))),
                        US_CITIZEN, null, IAL2, "us-cert"),
                Arguments.of("PR card with a foreign passport: LPR, decided by the card",
                        List.of(doc("cn-pp", PASSPORT, VERIFIED, NONE, LAST_MONTH, NEXT_YEAR, birth("CN")),
                                doc("pr", PERMANENT_RESIDENT_CARD, VERIFIED, LAWFUL_PERMANENT_RESIDENT, LAST_YEAR,
                                        NEXT_YEAR)),
                        UsPersonStatus.LAWFUL_PERMANENT_RESIDENT, null, IAL2, "pr"),
                Arguments.of("a passport says nothing about immigration status: the older PR card still decides",
                        List.of(doc("pr", PERMANENT_RESIDENT_CARD, VERIFIED, LAWFUL_PERMANENT_RESIDENT, LAST_YEAR,
                                        NEXT_YEAR),
                                doc("br-pp", PASSPORT, VERIFIED, NONE, LAST_MONTH, NEXT_YEAR, birth("BR"))),
                        UsPersonStatus.LAWFUL_PERMANENT_RESIDENT, null, IAL2, "pr"),
                Arguments.of("a newer student visa supersedes the PR card's status",
                        List.of(doc("pr", PERMANENT_RESIDENT_CARD, VERIFIED, LAWFUL_PERMANENT_RESIDENT, LAST_YEAR,
                                        NEXT_YEAR),
                                doc("visa", VISA, VERIFIED, STUDENT, LAST_MONTH, NEXT_YEAR, birth("BR"))),
                        FOREIGN_PERSON, "BR", IAL2, "visa"),
                Arguments.of("refugee travel document: protected individual",
                        List.of(doc("rtd", REFUGEE_TRAVEL_DOCUMENT, VERIFIED, REFUGEE, LAST_MONTH, NEXT_YEAR)),
                        PROTECTED_INDIVIDUAL, null, IAL2, "rtd"),
                Arguments.of("visa showing no nationality: UNKNOWN, not a foreign person without a country",
                        List.of(doc("visa", VISA, VERIFIED, OTHER_NONIMMIGRANT, LAST_MONTH, NEXT_YEAR)),
                        UNKNOWN, null, null, null),
                Arguments.of("a document newer than a whole-person statement adds to it",
                        List.of(evidence("stmt", NONE, IAL2, LAST_YEAR, NEXT_YEAR, birth("US")),
                                doc("fr-pp", PASSPORT, VERIFIED, NONE, LAST_MONTH, NEXT_YEAR, birth("FR"))),
                        US_CITIZEN, null, IAL2, "stmt"),
                Arguments.of("a whole-person statement supersedes older documents",
                        List.of(doc("us-pp", PASSPORT, VERIFIED, NONE, LAST_YEAR, NEXT_YEAR, birth("US")),
                                evidence("stmt", H1B, IAL3, LAST_MONTH, NEXT_YEAR, birth("IN"))),
                        FOREIGN_PERSON, "IN", IAL3, "stmt"));
    }

    private static Evidence doc(String id, DocumentClass documentClass, VerificationState state,
                                ImmigrationStatus immigration, Instant verified, Instant expires,
                                Citizenship... citizenships) {
        return new Evidence(id, documentClass, state, List.of(citizenships), immigration, IAL2, verified, expires);
    }

    @Test
    void citizenshipsAreMergedOncePerCountryInTheOrderEstablished() {
        DerivedStatus derived = UsPersonStatusDerivation.derive(List.of(
                doc("gb", PASSPORT, VERIFIED, NONE, LAST_YEAR, NEXT_YEAR, birth("GB")),
                doc("ie", PASSPORT, VERIFIED, NONE, LAST_MONTH, NEXT_YEAR, birth("IE")),
                doc("gb-cert", CERTIFICATE_OF_NATURALISATION_OR_CITIZENSHIP, VERIFIED, NONE, LAST_MONTH.plusSeconds(1),
                        NEXT_YEAR, acquired("GB", "2020-02-02")),
                doc("old-us", PASSPORT, REVOKED, NONE, LAST_MONTH, NEXT_YEAR, birth("US"))), NOW);
        assertEquals(List.of(acquired("GB", "2020-02-02"), birth("IE")), derived.citizenships());
        assertEquals("GB", derived.controllingCountry());
    }

    @Test
    void recomputeTimeIsTheNextExpiryOrVerificationOfAnyVerifiedEvidence() {
        Instant soon = NOW.plusSeconds(3600);
        Instant sooner = NOW.plusSeconds(30);
        DerivedStatus derived = UsPersonStatusDerivation.derive(List.of(
                doc("us", PASSPORT, VERIFIED, NONE, LAST_MONTH, NEXT_YEAR, birth("US")),
                // superseded by nothing, not deciding, but its expiry must still be swept
                doc("fr", PASSPORT, VERIFIED, NONE, LAST_MONTH, soon, birth("FR")),
                doc("pending", PASSPORT, VERIFIED, NONE, sooner, NEXT_YEAR, birth("DE")),
                doc("revoked", PASSPORT, REVOKED, NONE, LAST_MONTH, NOW.plusSeconds(5), birth("IT"))), NOW);
        assertEquals(US_CITIZEN, derived.status());
        assertEquals(sooner, derived.recomputeTime());
        assertEquals(NEXT_YEAR, derived.expireTime(), "the deciding evidence's expiry");
        assertNull(UsPersonStatusDerivation.derive(List.of(
                doc("us", PASSPORT, EXPIRED, NONE, LAST_YEAR, LAST_MONTH, birth("US"))), NOW).recomputeTime());
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
