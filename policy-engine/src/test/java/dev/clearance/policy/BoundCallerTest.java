package dev.clearance.policy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static dev.clearance.policy.TestPolicies.*;
import static org.junit.jupiter.api.Assertions.*;

/** A binding saves lookups; it must never change an answer, even when it is older than the snapshot. */
class BoundCallerTest {

    @Test
    void aBoundCallerGetsTheSameDecisionAsAnUnboundOne() {
        PolicySnapshot s = catalogue().directive(exportDirective(Directive.Mode.ENFORCED)).compile();
        for (Caller c : new Caller[] {usCitizen("alice"), foreigner("bogdan", "IN"),
                Caller.organisationKey("organisations/acme", ScreeningStatus.CLEAR, 1)}) {
            BoundCaller bound = BoundCaller.bind(s, c);
            assertTrue(bound.isBoundTo(s));
            for (String model : new String[] {"fable-5", "fable-4.5", "lyric-3", "mythos-5"}) {
                assertEquals(Evaluator.decide(s, c, ask(model)), Evaluator.decide(s, bound, ask(model)), c + " " + model);
            }
        }
    }

    @Test
    void aBindingMadeAgainstAnOlderSnapshotIsBoundAgainNotTrusted() {
        PolicySnapshot before = catalogue().compile();
        PolicySnapshot enforced = catalogue().directive(exportDirective(Directive.Mode.ENFORCED)).compile();
        BoundCaller old = BoundCaller.bind(before, foreigner("bogdan", "IN"));
        assertFalse(old.isBoundTo(enforced));

        Decision d = Evaluator.decide(enforced, old, askNoFallback("fable-5"));
        assertEquals(Outcome.DENY, d.outcome(), d.toString());
        assertEquals(ReasonCode.DIRECTIVE, d.primaryReason().code());
    }

    @Test
    void aGrantWithAWindowCountsOnlyInsideIt() {
        TestPolicies p = catalogue();
        p.grants.add(new Grant("g-window", "persons/dana", java.util.List.of("mythos-*"),
                NOW.minusSeconds(60), NOW.plusSeconds(60)));
        PolicySnapshot s = p.compile();
        BoundCaller dana = BoundCaller.bind(s, usCitizen("dana"));
        assertEquals(Outcome.ALLOW, Evaluator.decide(s, dana, ask("mythos-5")).outcome());
        AccessRequest later = new AccessRequest("mythos-5", false, NOW.plusSeconds(61), null, false);
        assertEquals(Outcome.DENY, Evaluator.decide(s, dana, later).outcome(), "same binding, after the window");
        AccessRequest earlier = new AccessRequest("mythos-5", false, NOW.minusSeconds(61), null, false);
        assertEquals(Outcome.DENY, Evaluator.decide(s, dana, earlier).outcome(), "same binding, before the window");
    }

    @Test
    void aBindingWhoseEvidenceExpiresFailsClosedAtThatInstantWithoutBeingBoundAgain() {
        PolicySnapshot s = catalogue().directive(exportDirective(Directive.Mode.ENFORCED)).compile();
        Instant expiry = NOW.plusSeconds(30);
        // a US citizen is not a subject of the foreign-persons directive while the evidence holds
        BoundCaller alice = BoundCaller.bind(s, withEvidence(usCitizen("alice"), NOW.minus(days(10)), expiry));
        AccessRequest before = new AccessRequest("fable-5", false, expiry.minusNanos(1), null, false);
        AccessRequest at = new AccessRequest("fable-5", false, expiry, null, false);
        assertEquals(Outcome.ALLOW, Evaluator.decide(s, alice, before).outcome());
        Decision lapsed = Evaluator.decide(s, alice, at);
        assertEquals(Outcome.DENY, lapsed.outcome(), lapsed.toString());
        assertEquals(ReasonCode.DIRECTIVE, lapsed.primaryReason().code());
        assertTrue(alice.isBoundTo(s), "the same binding served both decisions");
    }

    @Test
    void maximumEvidenceAgeIsJudgedPerDecisionToTheNanosecond() {
        Directive fresh = new Directive("directives/fresh", "c", Directive.Mode.ENFORCED, EFFECTIVE, null,
                List.of(new Directive.FamilyScope("fable", "fable-5")), DirectiveSubjects.foreignPersons(),
                AssuranceLevel.IAL2, Duration.ofDays(30), List.of());
        PolicySnapshot s = catalogue().directive(fresh).compile();
        Instant verified = NOW.minus(days(29));
        BoundCaller alice = BoundCaller.bind(s, withEvidence(usCitizen("alice"), verified, null));
        Instant limit = verified.plus(Duration.ofDays(30));
        assertEquals(Outcome.ALLOW, Evaluator.decide(s, alice, new AccessRequest("fable-5", false, limit, null, false)).outcome(),
                "verified exactly 30 days ago is not older than 30 days");
        Decision old = Evaluator.decide(s, alice, new AccessRequest("fable-5", false, limit.plusNanos(1), null, false));
        assertEquals(Outcome.DENY, old.outcome(), old.toString());
        assertEquals("directives/fresh", old.primaryReason().directive());
    }

    @Test
    void aDirectiveThatTakesEffectLaterAppliesToAnExistingBindingFromThatInstant() {
        Instant effective = NOW.plusSeconds(5);
        Directive later = new Directive("directives/later", "c", Directive.Mode.ENFORCED, effective, effective.plusSeconds(60),
                List.of(new Directive.FamilyScope("fable", "fable-5")), DirectiveSubjects.foreignPersons(),
                AssuranceLevel.IAL2, null, List.of());
        PolicySnapshot s = catalogue().directive(later).compile();
        BoundCaller bogdan = BoundCaller.bind(s, foreigner("bogdan", "IN"));
        assertEquals(Outcome.ALLOW, Evaluator.decide(s, bogdan, new AccessRequest("fable-5", false, effective.minusNanos(1), null, false)).outcome());
        assertEquals(Outcome.DENY, Evaluator.decide(s, bogdan, new AccessRequest("fable-5", false, effective, null, false)).outcome());
        assertEquals(Outcome.ALLOW, Evaluator.decide(s, bogdan, new AccessRequest("fable-5", false, effective.plusSeconds(60), null, false)).outcome(),
                "expired again, exclusive end");
    }

    @Test
    void carveOutsTheBindingRecordsStillExplainThemselves() {
        Directive d = new Directive("directives/d", "c", Directive.Mode.ENFORCED, EFFECTIVE, null,
                List.of(new Directive.FamilyScope("fable", "fable-5")), DirectiveSubjects.foreignPersons(), AssuranceLevel.IAL2, null,
                List.of(new Directive.CarveOut(Directive.CarveOut.Kind.PROGRAMME, "glasswing"),
                        new Directive.CarveOut(Directive.CarveOut.Kind.ORGANISATION, "organisations/acme")));
        TestPolicies p = catalogue().directive(d);
        p.programmes.add(new Programme("glasswing", List.of(), Set.of("persons/pia")));
        PolicySnapshot s = p.compile();
        Decision pia = Evaluator.decide(s, BoundCaller.bind(s, foreigner("pia", "IN")), askNoFallback("fable-5"));
        assertEquals(Outcome.ALLOW, pia.outcome(), pia.toString());
        assertEquals("directive directives/d does not apply: carved out for members of programme glasswing",
                pia.reasons().get(1).message(), "the first carve-out in the directive's order that applies");
        Caller elsewhere = new Caller("persons/eli", "organisations/other", UsPersonStatus.FOREIGN_PERSON, Set.of("IN"), "IN",
                AssuranceLevel.IAL2, NOW.minus(days(1)), null, ScreeningStatus.CLEAR, 1);
        p.subscriptions.add(new Subscription("organisations/other", "pro"));
        PolicySnapshot s2 = p.compile();
        assertEquals(Outcome.DENY, Evaluator.decide(s2, BoundCaller.bind(s2, elsewhere), askNoFallback("fable-5")).outcome(),
                "neither in the programme nor the organisation: no carve-out");
    }

    @Test
    void timesBeyondEpochNanosecondsStillDecide() {
        TestPolicies p = catalogue();
        p.grants.add(new Grant("grants/forever", "persons/dana", List.of("mythos-*"), Instant.parse("1500-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T00:00:00Z")));
        Directive d = new Directive("directives/long", "c", Directive.Mode.ENFORCED, EFFECTIVE, Instant.parse("9999-12-31T00:00:00Z"),
                List.of(new Directive.FamilyScope("mythos", null)), DirectiveSubjects.foreignPersons(), AssuranceLevel.IAL2,
                Duration.ofDays(365_000), List.of());
        PolicySnapshot s = p.directive(d).compile();
        Caller dana = withEvidence(usCitizen("dana"), Instant.parse("1600-01-01T00:00:00Z"), Instant.parse("3000-01-01T00:00:00Z"));
        Decision allowed = Evaluator.decide(s, BoundCaller.bind(s, dana), askNoFallback("mythos-5"));
        assertEquals(Outcome.ALLOW, allowed.outcome(), allowed.toString());
        Caller stale = withEvidence(usCitizen("dana"), Instant.parse("1600-01-01T00:00:00Z"), null);
        Directive young = new Directive("directives/young", "c", Directive.Mode.ENFORCED, EFFECTIVE, null,
                List.of(new Directive.FamilyScope("mythos", null)), DirectiveSubjects.foreignPersons(), AssuranceLevel.IAL2,
                Duration.ofDays(30), List.of());
        PolicySnapshot s2 = p.directive(young).compile();
        assertEquals(ReasonCode.DIRECTIVE, Evaluator.decide(s2, BoundCaller.bind(s2, stale), askNoFallback("mythos-5")).primaryReason().code(),
                "evidence from 1600 is older than 30 days");
    }
}
