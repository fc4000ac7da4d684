package dev.clearance.policy;

import org.junit.jupiter.api.Test;

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
}
