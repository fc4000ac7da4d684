package dev.clearance.policy;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static dev.clearance.policy.TestPolicies.*;
import static org.junit.jupiter.api.Assertions.*;

class EvaluatorTest {

    private static void assertOutcome(Decision d, Outcome outcome, String served, ReasonCode primary) {
        assertEquals(outcome, d.outcome(), () -> "decision " + d);
        assertEquals(served, d.servedModel(), () -> "decision " + d);
        if (primary != null) {
            assertEquals(primary, d.primaryReason().code(), () -> "decision " + d);
        }
    }

    @Test
    void allowsAnEntitledCallerWithNoDirectiveAndSaysThroughWhat() {
        Decision d = Evaluator.decide(catalogue().compile(), foreigner("bogdan", "IN"), ask("fable-5"));
        assertOutcome(d, Outcome.ALLOW, "fable-5", ReasonCode.ENTITLED);
        assertTrue(d.primaryReason().message().contains("tier pro"), d.primaryReason().message());
        assertEquals(7, d.policyRevision());
        assertEquals(3, d.identityRevision());
    }

    @Test
    void directiveFallsBackToTheNewestVersionStillAllowed() {
        PolicySnapshot s = catalogue().directive(exportDirective(Directive.Mode.ENFORCED)).compile();
        Decision d = Evaluator.decide(s, foreigner("bogdan", "IN"), ask("fable-5"));
        assertOutcome(d, Outcome.ALLOW_FALLBACK, "fable-4.5", ReasonCode.DIRECTIVE);
        Reason directive = d.primaryReason();
        assertEquals("directives/bis-ed-2026-06-12", directive.directive());
        assertEquals("15 CFR 734.13, 734.14", directive.citation());
        assertEquals("fable-5", directive.model());
        // the served version is explained too
        assertEquals(ReasonCode.ENTITLED, d.reasons().get(d.reasons().size() - 1).code());
        assertEquals("fable-4.5", d.reasons().get(d.reasons().size() - 1).model());
    }

    @Test
    void forbiddenFallbackDenies() {
        PolicySnapshot s = catalogue().directive(exportDirective(Directive.Mode.ENFORCED)).compile();
        Decision d = Evaluator.decide(s, foreigner("bogdan", "IN"), askNoFallback("fable-5"));
        assertOutcome(d, Outcome.DENY, null, ReasonCode.DIRECTIVE);
    }

    @Test
    void aliasesAndSpellingsCannotBypassADirective() {
        PolicySnapshot s = catalogue().directive(exportDirective(Directive.Mode.ENFORCED)).compile();
        for (String spelling : List.of("fable-latest", "FABLE-5", " fable-5 ", "ｆａｂｌｅ－５", "Fable-Latest")) {
            Decision d = Evaluator.decide(s, foreigner("bogdan", "IN"), askNoFallback(spelling));
            assertOutcome(d, Outcome.DENY, null, ReasonCode.DIRECTIVE);
            assertEquals("fable-5", d.requestedVersion());
            assertEquals(spelling, d.requestedModel());
        }
    }

    @Test
    void unknownAndInvalidModelsAreErrorsNotDecisions() {
        PolicySnapshot s = catalogue().compile();
        ModelNotFoundException nf = assertThrows(ModelNotFoundException.class,
                () -> Evaluator.decide(s, usCitizen("alice"), ask("fable-6")));
        assertEquals("fable-6", nf.model());
        assertThrows(InvalidModelNameException.class, () -> Evaluator.decide(s, usCitizen("alice"), ask("")));
        assertThrows(InvalidModelNameException.class, () -> Evaluator.decide(s, usCitizen("alice"), ask("fable\u200b-5")));
    }

    @Test
    void usPersonsAreNotSubjectsOfAForeignPersonsDirective() {
        PolicySnapshot s = catalogue().directive(exportDirective(Directive.Mode.ENFORCED)).compile();
        for (UsPersonStatus status : List.of(UsPersonStatus.US_CITIZEN, UsPersonStatus.LAWFUL_PERMANENT_RESIDENT,
                UsPersonStatus.PROTECTED_INDIVIDUAL)) {
            Decision d = Evaluator.decide(s, person("p", status, AssuranceLevel.IAL2, "CN"), ask("fable-5"));
            assertOutcome(d, Outcome.ALLOW, "fable-5", ReasonCode.ENTITLED);
        }
    }

    @Test
    void unknownStatusLowAssuranceAndStaleEvidenceFailClosed() {
        PolicySnapshot s = catalogue().directive(exportDirective(Directive.Mode.ENFORCED)).compile();
        Caller unknown = person("u", UsPersonStatus.UNKNOWN, AssuranceLevel.NONE);
        Caller selfAsserted = person("f", UsPersonStatus.US_CITIZEN, AssuranceLevel.IAL1, "US");
        Caller expired = withEvidence(usCitizen("e"), Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2026-06-01T00:00:00Z"));
        Caller neverVerified = withEvidence(usCitizen("n"), null, null);
        Caller orgKey = Caller.organisationKey("organisations/acme", ScreeningStatus.CLEAR, 1);
        for (Caller c : List.of(unknown, selfAsserted, expired, neverVerified, orgKey)) {
            Decision d = Evaluator.decide(s, c, ask("fable-5"));
            assertOutcome(d, Outcome.ALLOW_FALLBACK, "fable-4.5", ReasonCode.DIRECTIVE);
        }
    }

    @Test
    void maximumEvidenceAgeTreatsOldEvidenceAsUnverified() {
        Directive strict = new Directive("directives/strict", "c", Directive.Mode.ENFORCED, EFFECTIVE, null,
                List.of(new Directive.FamilyScope("fable", "fable-5")), DirectiveSubjects.foreignPersons(),
                AssuranceLevel.IAL2, days(30), List.of());
        PolicySnapshot s = catalogue().directive(strict).compile();
        Caller recent = withEvidence(usCitizen("r"), NOW.minus(days(10)), null);
        Caller old = withEvidence(usCitizen("o"), NOW.minus(days(31)), null);
        assertOutcome(Evaluator.decide(s, recent, ask("fable-5")), Outcome.ALLOW, "fable-5", ReasonCode.ENTITLED);
        assertOutcome(Evaluator.decide(s, old, ask("fable-5")), Outcome.ALLOW_FALLBACK, "fable-4.5", ReasonCode.DIRECTIVE);
    }

    @Test
    void directiveScopeCoversFromVersionAndLaterOnly() {
        TestPolicies p = catalogue();
        p.family("saga", false, "saga-1", "saga-2", "saga-3");
        p.tiers.set(0, new Tier("pro", List.of("lyric-*", "fable-*", "saga-*")));
        p.directive(new Directive("directives/saga", "c", Directive.Mode.ENFORCED, EFFECTIVE, null,
                List.of(new Directive.FamilyScope("saga", "saga-2")), DirectiveSubjects.foreignPersons(),
                AssuranceLevel.IAL2, null, List.of()));
        PolicySnapshot s = p.compile();
        Caller bogdan = foreigner("bogdan", "IN");
        assertOutcome(Evaluator.decide(s, bogdan, ask("saga-3")), Outcome.ALLOW_FALLBACK, "saga-1", ReasonCode.DIRECTIVE);
        assertOutcome(Evaluator.decide(s, bogdan, ask("saga-2")), Outcome.ALLOW_FALLBACK, "saga-1", ReasonCode.DIRECTIVE);
        assertOutcome(Evaluator.decide(s, bogdan, ask("saga-1")), Outcome.ALLOW, "saga-1", ReasonCode.ENTITLED);
        assertTrue(s.isControlled("saga-2"));
        assertFalse(s.isControlled("saga-1"));
    }

    @Test
    void effectiveAndExpiryTimesAreHonouredToTheInstant() {
        Instant effective = Instant.parse("2026-06-13T12:00:00Z");
        Directive d = new Directive("directives/timed", "c", Directive.Mode.ENFORCED, effective,
                effective.plusSeconds(60), List.of(new Directive.FamilyScope("fable", "fable-5")),
                DirectiveSubjects.foreignPersons(), AssuranceLevel.IAL2, null, List.of());
        PolicySnapshot s = catalogue().directive(d).compile();
        Caller bogdan = foreigner("bogdan", "IN");
        assertEquals(Outcome.ALLOW, Evaluator.decide(s, bogdan, AccessRequest.of("fable-5", true, effective.minusMillis(1))).outcome());
        assertEquals(Outcome.ALLOW_FALLBACK, Evaluator.decide(s, bogdan, AccessRequest.of("fable-5", true, effective)).outcome());
        assertEquals(Outcome.ALLOW_FALLBACK, Evaluator.decide(s, bogdan, AccessRequest.of("fable-5", true, effective.plusSeconds(59))).outcome());
        assertEquals(Outcome.ALLOW, Evaluator.decide(s, bogdan, AccessRequest.of("fable-5", true, effective.plusSeconds(60))).outcome());
    }

    @Test
    void shadowDirectivesReportWouldDenyWithoutChangingTheAnswer() {
        PolicySnapshot s = catalogue().directive(exportDirective(Directive.Mode.SHADOW)).compile();
        Decision d = Evaluator.decide(s, foreigner("bogdan", "IN"), ask("fable-5"));
        assertOutcome(d, Outcome.ALLOW, "fable-5", ReasonCode.ENTITLED);
        assertEquals(1, d.shadowReasons().size());
        assertEquals(ReasonCode.SHADOW_DIRECTIVE, d.shadowReasons().get(0).code());
        assertEquals("directives/bis-ed-2026-06-12", d.shadowReasons().get(0).directive());
        assertTrue(Evaluator.decide(s, usCitizen("alice"), ask("fable-5")).shadowReasons().isEmpty());
    }

    @Test
    void licenceNamingPersonAndModelCarvesOutAndEntitles() {
        TestPolicies p = catalogue().directive(exportDirective(Directive.Mode.ENFORCED));
        p.licences.add(new Licence("licences/l1", "D1234567", null, Set.of("persons/hiro"), List.of("fable-5"),
                Instant.parse("2026-06-01T00:00:00Z"), Instant.parse("2027-06-01T00:00:00Z")));
        PolicySnapshot s = p.compile();
        Caller hiro = new Caller("persons/hiro", "organisations/other", UsPersonStatus.FOREIGN_PERSON, Set.of("JP"), "JP",
                AssuranceLevel.IAL2, NOW.minus(days(5)), null, ScreeningStatus.CLEAR, 1);
        Decision d = Evaluator.decide(s, hiro, ask("fable-5"));
        assertOutcome(d, Outcome.ALLOW, "fable-5", ReasonCode.ENTITLED);
        assertTrue(d.primaryReason().message().contains("D1234567"), d.primaryReason().message());
        assertEquals(ReasonCode.CARVE_OUT, d.reasons().get(1).code());
        assertEquals("licences/l1", d.reasons().get(1).carveOut(), "the carve-out that applied, as a field");
        assertEquals("directives/bis-ed-2026-06-12", d.reasons().get(1).directive());
        // after the licence ends the carve-out and the entitlement end with it
        Decision later = Evaluator.decide(s, hiro, AccessRequest.of("fable-5", false, Instant.parse("2027-06-01T00:00:00Z")));
        assertOutcome(later, Outcome.DENY, null, ReasonCode.NOT_ENTITLED);
        assertEquals(ReasonCode.DIRECTIVE, later.reasons().get(1).code());
    }

    @Test
    void programmeAndOrganisationCarveOuts() {
        Directive d = new Directive("directives/d", "c", Directive.Mode.ENFORCED, EFFECTIVE, null,
                List.of(new Directive.FamilyScope("fable", "fable-5")), DirectiveSubjects.foreignPersons(),
                AssuranceLevel.IAL2, null, List.of(
                new Directive.CarveOut(Directive.CarveOut.Kind.PROGRAMME, "glasswing"),
                new Directive.CarveOut(Directive.CarveOut.Kind.ORGANISATION, "organisations/trusted")));
        TestPolicies p = catalogue().directive(d);
        p.programmes.add(new Programme("glasswing", List.of("mythos-5"), Set.of("organisations/acme")));
        p.subscriptions.add(new Subscription("organisations/trusted", "pro"));
        p.subscriptions.add(new Subscription("organisations/plain", "pro"));
        PolicySnapshot s = p.compile();
        Caller inProgramme = foreigner("a", "IN");
        Caller inTrustedOrg = new Caller("persons/b", "organisations/trusted", UsPersonStatus.FOREIGN_PERSON, Set.of("IN"),
                "IN", AssuranceLevel.IAL2, NOW.minus(days(1)), null, ScreeningStatus.CLEAR, 1);
        Caller plain = new Caller("persons/c", "organisations/plain", UsPersonStatus.FOREIGN_PERSON, Set.of("IN"),
                "IN", AssuranceLevel.IAL2, NOW.minus(days(1)), null, ScreeningStatus.CLEAR, 1);
        assertOutcome(Evaluator.decide(s, inProgramme, ask("fable-5")), Outcome.ALLOW, "fable-5", ReasonCode.ENTITLED);
        assertOutcome(Evaluator.decide(s, inTrustedOrg, ask("fable-5")), Outcome.ALLOW, "fable-5", ReasonCode.ENTITLED);
        assertOutcome(Evaluator.decide(s, plain, ask("fable-5")), Outcome.ALLOW_FALLBACK, "fable-4.5", ReasonCode.DIRECTIVE);
        assertEquals("programmes/glasswing", Evaluator.decide(s, inProgramme, ask("fable-5")).reasons().get(1).carveOut());
        assertEquals("organisations/trusted", Evaluator.decide(s, inTrustedOrg, ask("fable-5")).reasons().get(1).carveOut());
    }

    @Test
    void aNamedLicenceCarvesOutOnlyThePersonsThatLicenceCovers() {
        Directive d = new Directive("directives/d", "c", Directive.Mode.ENFORCED, EFFECTIVE, null,
                List.of(new Directive.FamilyScope("fable", "fable-5")), DirectiveSubjects.foreignPersons(),
                AssuranceLevel.IAL2, null, List.of(new Directive.CarveOut(Directive.CarveOut.Kind.LICENCE, "licences/named")));
        TestPolicies p = catalogue().directive(d);
        p.licences.add(new Licence("licences/named", "D1", null, Set.of("persons/hiro"), List.of("fable-5"), null, null));
        p.licences.add(new Licence("licences/other", "D2", null, Set.of("persons/kenji"), List.of("fable-5"), null, null));
        PolicySnapshot s = p.compile();
        Caller hiro = new Caller("persons/hiro", null, UsPersonStatus.FOREIGN_PERSON, Set.of("JP"), "JP",
                AssuranceLevel.IAL2, NOW.minus(days(5)), null, ScreeningStatus.CLEAR, 1);
        Caller kenji = new Caller("persons/kenji", null, UsPersonStatus.FOREIGN_PERSON, Set.of("JP"), "JP",
                AssuranceLevel.IAL2, NOW.minus(days(5)), null, ScreeningStatus.CLEAR, 1);
        Decision named = Evaluator.decide(s, hiro, askNoFallback("fable-5"));
        assertOutcome(named, Outcome.ALLOW, "fable-5", ReasonCode.ENTITLED);
        assertEquals("licences/named", named.reasons().get(1).carveOut());
        // kenji's licence entitles him but is not the one the directive exempts
        Decision other = Evaluator.decide(s, kenji, askNoFallback("fable-5"));
        assertOutcome(other, Outcome.DENY, null, ReasonCode.DIRECTIVE);
    }

    @Test
    void nationalsOfUsesMostRecentOrAnyCitizenshipAndExpandsGroups() {
        // dual national: born CN, naturalised GB later -> controlling country GB
        Caller dual = new Caller("persons/d", "organisations/acme", UsPersonStatus.FOREIGN_PERSON, Set.of("CN", "GB"),
                "GB", AssuranceLevel.IAL2, NOW.minus(days(1)), null, ScreeningStatus.CLEAR, 1);
        PolicySnapshot mostRecent = catalogue().directive(nationalsOf("directives/d5", DirectiveSubjects.CitizenshipMode.MOST_RECENT,
                Set.of("MO"), Set.of("D:5"))).compile();
        PolicySnapshot any = catalogue().directive(nationalsOf("directives/d5", DirectiveSubjects.CitizenshipMode.ANY,
                Set.of("MO"), Set.of("D:5"))).compile();
        assertEquals(Outcome.ALLOW, Evaluator.decide(mostRecent, dual, askNoFallback("fable-4")).outcome());
        assertOutcome(Evaluator.decide(any, dual, askNoFallback("fable-4")), Outcome.DENY, null, ReasonCode.DIRECTIVE);
        Caller macau = foreigner("m", "MO");
        assertEquals(Outcome.DENY, Evaluator.decide(mostRecent, macau, askNoFallback("fable-4")).outcome());
        Caller russian = foreigner("r", "RU");
        Decision refused = Evaluator.decide(mostRecent, russian, askNoFallback("fable-4"));
        assertEquals(Outcome.DENY, refused.outcome());
        // The explanation names the group and the date of the table that put RU in it.
        assertEquals("directive directives/d5 refuses this model to nationals of CN, IR, KP, MO, RU"
                + " (EAR country group D:5 as of 2026-07-23) and callers whose citizenship is not verified"
                + " (test citation)", refused.primaryReason().message());
        Caller indian = foreigner("i", "IN");
        assertEquals(Outcome.ALLOW, Evaluator.decide(mostRecent, indian, askNoFallback("fable-4")).outcome());
        assertThrows(IllegalArgumentException.class, () -> catalogue().directive(nationalsOf("directives/x",
                DirectiveSubjects.CitizenshipMode.ANY, Set.of(), Set.of("Z:9"))).compile());
    }

    @Test
    void nonCitizensDirectiveIncludesPermanentResidents() {
        Directive d = new Directive("directives/nc", "c", Directive.Mode.ENFORCED, EFFECTIVE, null,
                List.of(new Directive.FamilyScope("fable", "fable-5")),
                new DirectiveSubjects(DirectiveSubjects.Kind.NON_CITIZENS, null, null, null), AssuranceLevel.IAL2, null, List.of());
        PolicySnapshot s = catalogue().directive(d).compile();
        Caller lpr = person("chen", UsPersonStatus.LAWFUL_PERMANENT_RESIDENT, AssuranceLevel.IAL2, "CN");
        assertOutcome(Evaluator.decide(s, lpr, ask("fable-5")), Outcome.ALLOW_FALLBACK, "fable-4.5", ReasonCode.DIRECTIVE);
        assertOutcome(Evaluator.decide(s, usCitizen("alice"), ask("fable-5")), Outcome.ALLOW, "fable-5", ReasonCode.ENTITLED);
    }

    @Test
    void killSwitchDeniesWithoutFallbackAndFallbackSkipsDisabledVersions() {
        PolicySnapshot disabledLatest = catalogue().disable("fable-5").compile();
        assertOutcome(Evaluator.decide(disabledLatest, usCitizen("alice"), ask("fable-5")), Outcome.DENY, null,
                ReasonCode.MODEL_DISABLED);
        PolicySnapshot disabledMiddle = catalogue().disable("fable-4.5").directive(exportDirective(Directive.Mode.ENFORCED)).compile();
        assertOutcome(Evaluator.decide(disabledMiddle, foreigner("b", "IN"), ask("fable-5")), Outcome.ALLOW_FALLBACK,
                "fable-4", ReasonCode.DIRECTIVE);
    }

    @Test
    void sanctionsAndEmbargoDenyEverythingWithoutFallback() {
        PolicySnapshot s = catalogue().compile();
        Caller confirmed = withScreening(usCitizen("x"), ScreeningStatus.CONFIRMED_MATCH);
        assertOutcome(Evaluator.decide(s, confirmed, ask("lyric-3")), Outcome.DENY, null, ReasonCode.SANCTIONED_PARTY);
        AccessRequest fromCrimea = new AccessRequest("fable-5", true, NOW, "UA-43", false);
        Decision crimea = Evaluator.decide(s, usCitizen("a"), fromCrimea);
        assertOutcome(crimea, Outcome.DENY, null, ReasonCode.EMBARGOED_REGION);
        assertEquals("15 CFR Part 746", crimea.primaryReason().citation());
        assertEquals("requests from UA-43 are under comprehensive embargo", crimea.primaryReason().message());
        // a region not listed itself is refused when its country is embargoed
        assertOutcome(Evaluator.decide(s, usCitizen("a"), new AccessRequest("lyric-3", true, NOW, "IR-23", false)),
                Outcome.DENY, null, ReasonCode.EMBARGOED_REGION);
        assertEquals(Outcome.ALLOW, Evaluator.decide(s, usCitizen("a"), new AccessRequest("lyric-3", true, NOW, "UA", false)).outcome());
        AccessRequest fromIran = new AccessRequest("lyric-3", true, NOW, "ir", false);
        assertOutcome(Evaluator.decide(s, usCitizen("a"), fromIran), Outcome.DENY, null, ReasonCode.EMBARGOED_REGION);
        AccessRequest fromKyiv = new AccessRequest("lyric-3", true, NOW, "UA-30", false);
        assertEquals(Outcome.ALLOW, Evaluator.decide(s, usCitizen("a"), fromKyiv).outcome());
    }

    @Test
    void potentialScreeningMatchAndStalePolicyRefuseOnlyControlledModels() {
        PolicySnapshot s = catalogue().directive(exportDirective(Directive.Mode.ENFORCED)).compile();
        Caller potential = withScreening(usCitizen("p"), ScreeningStatus.POTENTIAL_MATCH);
        assertOutcome(Evaluator.decide(s, potential, ask("fable-5")), Outcome.DENY, null, ReasonCode.SANCTIONED_PARTY);
        assertEquals(Outcome.ALLOW, Evaluator.decide(s, potential, ask("lyric-3")).outcome());
        AccessRequest stale = new AccessRequest("fable-5", true, NOW, null, true);
        assertOutcome(Evaluator.decide(s, usCitizen("a"), stale), Outcome.DENY, null, ReasonCode.POLICY_STALE);
        assertEquals(Outcome.ALLOW, Evaluator.decide(s, usCitizen("a"), new AccessRequest("lyric-3", true, NOW, null, true)).outcome());
        // a controlled family is controlled even with no directive
        PolicySnapshot controlledFamily = new TestPolicies().family("vault", true, "vault-1").compile();
        assertTrue(controlledFamily.isControlled("vault-1"));
    }

    @Test
    void grantsHonourTheirWindowAndProgrammeGrantsReachMembers() {
        TestPolicies p = catalogue();
        p.programmes.add(new Programme("red-team", List.of(), Set.of("persons/ana")));
        p.grants.add(new Grant("grants/g1", "programmes/red-team", List.of("mythos-5"),
                NOW.minus(days(1)), NOW.plus(days(1))));
        p.grants.add(new Grant("grants/g2", "persons/ben", List.of("mythos-*"), NOW.plus(days(1)), null));
        PolicySnapshot s = p.compile();
        assertOutcome(Evaluator.decide(s, usCitizen("ana"), askNoFallback("mythos-5")), Outcome.ALLOW, "mythos-5", ReasonCode.ENTITLED);
        assertOutcome(Evaluator.decide(s, usCitizen("ben"), askNoFallback("mythos-5")), Outcome.DENY, null, ReasonCode.NOT_ENTITLED);
        assertEquals(Outcome.ALLOW, Evaluator.decide(s, usCitizen("ben"),
                AccessRequest.of("mythos-5", false, NOW.plus(days(2)))).outcome());
    }

    @Test
    void listModelsShowsEveryVersionWithReasonAndFallback() {
        PolicySnapshot s = catalogue().directive(exportDirective(Directive.Mode.ENFORCED)).compile();
        List<ModelAccess> models = Evaluator.listModels(s, foreigner("bogdan", "IN"), ask(""));
        assertEquals(s.versionIds(), models.stream().map(ModelAccess::model).toList());
        ModelAccess fable5 = models.stream().filter(m -> m.model().equals("fable-5")).findFirst().orElseThrow();
        assertFalse(fable5.allowed());
        assertEquals(ReasonCode.DIRECTIVE, fable5.reasons().get(0).code());
        assertEquals("fable-4.5", fable5.fallbackModel());
        ModelAccess mythos5 = models.stream().filter(m -> m.model().equals("mythos-5")).findFirst().orElseThrow();
        assertFalse(mythos5.allowed());
        assertEquals(ReasonCode.NOT_ENTITLED, mythos5.reasons().get(0).code());
        assertNull(mythos5.fallbackModel());
        assertTrue(models.stream().filter(m -> m.family().equals("lyric")).allMatch(ModelAccess::allowed));
    }

    @Test
    void listEntitlementsNamesEverySourceOfEveryVersionBesideTheEvaluatorsAnswer() {
        TestPolicies p = catalogue().directive(exportDirective(Directive.Mode.ENFORCED));
        p.programmes.add(new Programme("glasswing", List.of("mythos-5"), Set.of("organisations/acme")));
        p.grants.add(new Grant("grants/g1", "persons/bogdan", List.of("lyric-3"), null, null));
        p.grants.add(new Grant("grants/expired", "persons/bogdan", List.of("mythos-4.5"), null,
                Instant.parse("2026-01-01T00:00:00Z")));
        p.licences.add(new Licence("licences/l1", "BIS-D-1", null, Set.of("persons/bogdan"), List.of("fable-5"),
                null, null));
        PolicySnapshot s = p.compile();
        Caller bogdan = foreigner("bogdan", "IN");
        List<ModelEntitlement> all = Evaluator.listEntitlements(s, bogdan, ask(""));
        // The evaluator's own answer for every version, unchanged.
        List<ModelAccess> models = Evaluator.listModels(s, bogdan, ask(""));
        assertEquals(models, all.stream().map(ModelEntitlement::access).toList());

        record Row(String model, boolean allowed, List<String> sources) {
        }
        List<Row> expected = List.of(
                new Row("fable-4", true, List.of("tiers/pro@organisations/acme")),
                new Row("fable-4.5", true, List.of("tiers/pro@organisations/acme")),
                // the licence carves bogdan out of the directive and entitles him too
                new Row("fable-5", true, List.of("licences/l1@persons/bogdan", "tiers/pro@organisations/acme")),
                // an expired grant is not a source
                new Row("mythos-4.5", false, List.of()),
                // entitled through his organisation's programme, refused by the directive
                new Row("mythos-5", false, List.of("programmes/glasswing@organisations/acme")),
                new Row("lyric-3", true, List.of("grants/g1@persons/bogdan", "tiers/pro@organisations/acme")),
                new Row("lyric-3.5", true, List.of("tiers/pro@organisations/acme")));
        List<Row> actual = all.stream().map(e -> new Row(e.access().model(), e.access().allowed(),
                e.sources().stream().map(src -> src.resource() + "@" + src.holder()).toList())).toList();
        assertEquals(expected, actual);

        ModelEntitlement mythos5 = all.get(4);
        assertEquals(ReasonCode.DIRECTIVE, mythos5.access().reasons().get(0).code());
        assertEquals("15 CFR 734.13, 734.14", mythos5.access().reasons().get(0).citation());
        assertEquals("programme glasswing (member organisations/acme)", mythos5.sources().get(0).description());
        ModelEntitlement fable5 = all.get(2);
        assertEquals(List.of(ReasonCode.ENTITLED, ReasonCode.CARVE_OUT),
                fable5.access().reasons().stream().map(Reason::code).toList());
    }

    @Test
    void inconsistentInputsAreRejectedAtCompileTime() {
        TestPolicies unknownTier = catalogue();
        unknownTier.subscriptions.add(new Subscription("organisations/x", "platinum"));
        assertThrows(IllegalArgumentException.class, unknownTier::compile);
        TestPolicies badAlias = catalogue();
        badAlias.aliases.put("mythos-latest", "mythos-6");
        assertThrows(IllegalArgumentException.class, badAlias::compile);
        TestPolicies duplicate = catalogue().family("other", false, "fable-5");
        assertThrows(IllegalArgumentException.class, duplicate::compile);
    }
}
