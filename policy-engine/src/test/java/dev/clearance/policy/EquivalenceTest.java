package dev.clearance.policy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The optimised evaluator (bindings, precomputed subject rules and carve-out targets, flat
 * entitlement layouts, times as epoch nanos) against {@link ReferenceEvaluator}, the plain walk
 * it replaced: on generated policies with every rule in play, every decision must be equal field
 * for field, whether the caller is bound once and reused across moments (evidence expiring,
 * directives starting and ending, windows opening and closing between two decisions) or bound
 * per decision.
 */
class EquivalenceTest {

    private static final Instant NOW = Instant.parse("2026-06-13T12:00:00Z");
    private static final String[] COUNTRIES = {"US", "IN", "CN", "GB", "RU", "MO", "IR", "JP"};

    @Test
    void boundAndUnboundDecisionsEqualTheReferenceForEveryCallerRequestAndMoment() {
        int compared = 0;
        int fallbacks = 0;
        int carveOuts = 0;
        int expiredEvidence = 0;
        for (long seed = 1; seed <= 6; seed++) {
            Random rnd = new Random(seed);
            Generated g = generate(rnd);
            PolicySnapshot s = PolicySnapshot.compile(g.inputs);
            List<String> names = new ArrayList<>(s.versionIds());
            names.addAll(g.inputs.aliases().keySet());
            names.add("FABLE-1");
            for (Caller c : g.callers) {
                BoundCaller bound = BoundCaller.bind(s, c); // one binding for every moment below
                for (Instant at : moments(c, g.inputs)) {
                    for (int q = 0; q < 6; q++) {
                        String region = switch (rnd.nextInt(12)) {
                            case 0 -> "IR";
                            case 1 -> "ua-43";
                            case 2 -> "GB";
                            default -> null;
                        };
                        AccessRequest r = new AccessRequest(names.get(rnd.nextInt(names.size())), rnd.nextInt(4) != 0,
                                at, region, rnd.nextInt(15) == 0);
                        Decision expected = ReferenceEvaluator.decide(s, c, r);
                        assertEquals(expected, Evaluator.decide(s, bound, r), () -> c + " " + r);
                        assertEquals(expected, Evaluator.decide(s, c, r), () -> c + " " + r);
                        compared++;
                        if (expected.outcome() == Outcome.ALLOW_FALLBACK) {
                            fallbacks++;
                        }
                        if (expected.reasons().stream().anyMatch(x -> x.code() == ReasonCode.CARVE_OUT)) {
                            carveOuts++;
                        }
                        if (c.expiresAt() != null && !at.isBefore(c.expiresAt())) {
                            expiredEvidence++;
                        }
                    }
                    assertEquals(ReferenceEvaluator.listModels(s, c, AccessRequest.of("x", true, at)),
                            Evaluator.listModels(s, c, AccessRequest.of("x", true, at)), c::toString);
                }
            }
        }
        // the generator must actually exercise what the binding precomputes
        assertTrue(compared > 20_000, "compared " + compared);
        assertTrue(fallbacks > 100, "fallbacks " + fallbacks);
        assertTrue(carveOuts > 50, "carve-outs " + carveOuts);
        assertTrue(expiredEvidence > 100, "decisions after the caller's evidence expired " + expiredEvidence);
    }

    /** Instants where answers change: now, the caller's evidence expiry and maximum ages, directive and grant edges. */
    private static List<Instant> moments(Caller c, PolicyInputs in) {
        Set<Instant> out = new HashSet<>();
        out.add(NOW);
        if (c.expiresAt() != null) {
            out.add(c.expiresAt().minusNanos(1));
            out.add(c.expiresAt());
        }
        for (Directive d : in.directives()) {
            out.add(d.effectiveAt());
            out.add(d.effectiveAt().minusNanos(1));
            if (d.expiresAt() != null) {
                out.add(d.expiresAt());
            }
            if (d.maximumEvidenceAge() != null && c.verifiedAt() != null) {
                Instant limit = c.verifiedAt().plus(d.maximumEvidenceAge());
                out.add(limit);
                out.add(limit.plusNanos(1));
            }
        }
        for (int i = 0; i < 3; i++) {
            Grant grant = in.grants().get(Math.floorMod(c.hashCode() + i, in.grants().size()));
            if (grant.start() != null) {
                out.add(grant.start());
            }
            if (grant.end() != null) {
                out.add(grant.end());
            }
        }
        List<Instant> sorted = new ArrayList<>();
        for (Instant at : out) {
            if (at.isAfter(Instant.parse("1700-01-01T00:00:00Z")) && at.isBefore(Instant.parse("2200-01-01T00:00:00Z"))) {
                sorted.add(at); // a decision's own time must fit epoch nanos
            }
        }
        sorted.sort(null);
        return sorted;
    }

    private record Generated(PolicyInputs inputs, List<Caller> callers) {
    }

    private static Generated generate(Random rnd) {
        String[] familyIds = {"fable", "mythos", "lyric", "ode", "saga"};
        List<ModelFamily> families = new ArrayList<>();
        Map<String, String> aliases = new HashMap<>();
        List<String> versions = new ArrayList<>();
        for (int f = 0; f < familyIds.length; f++) {
            List<ModelVersion> vs = new ArrayList<>();
            for (int v = 1; v <= 14; v++) {
                String id = familyIds[f] + "-" + v;
                vs.add(new ModelVersion(id, rnd.nextInt(25) == 0 ? VersionStatus.DISABLED : VersionStatus.GA));
                versions.add(id);
            }
            families.add(new ModelFamily(familyIds[f], f == 4, vs));
            aliases.put(familyIds[f] + "-latest", familyIds[f] + "-14");
        }
        List<String> persons = new ArrayList<>();
        for (int p = 0; p < 40; p++) {
            persons.add("persons/p" + p);
        }
        List<String> organisations = new ArrayList<>();
        for (int o = 0; o < 8; o++) {
            organisations.add("organisations/o" + o);
        }
        List<Tier> tiers = List.of(new Tier("basic", List.of("fable-1", "lyric-*")),
                new Tier("pro", List.of("fable-*", "mythos-*", "ode-1*")), new Tier("none", List.of()));
        List<Subscription> subscriptions = new ArrayList<>();
        for (int o = 0; o < organisations.size() - 1; o++) { // the last organisation has no subscription
            subscriptions.add(new Subscription(organisations.get(o), tiers.get(o % 3).id()));
        }
        List<Programme> programmes = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            Set<String> members = new HashSet<>();
            for (int m = 0; m < 6; m++) {
                members.add(rnd.nextBoolean() ? pick(rnd, persons) : pick(rnd, organisations));
            }
            programmes.add(new Programme("prog-" + p, List.of(familyIds[(p + 2) % 5] + "-*"), members));
        }
        List<Grant> grants = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            String grantee = switch (rnd.nextInt(5)) {
                case 0 -> pick(rnd, organisations);
                case 1 -> "programmes/prog-" + rnd.nextInt(3);
                default -> pick(rnd, persons);
            };
            Instant start = rnd.nextInt(3) == 0 ? NOW.plus(Duration.ofHours(rnd.nextInt(96) - 48)) : null;
            Instant end = rnd.nextInt(3) == 0 ? NOW.plus(Duration.ofHours(rnd.nextInt(96) - 24)) : null;
            grants.add(new Grant("grants/g" + i, grantee, List.of(rnd.nextInt(4) == 0 ? pick(rnd, familyIds) + "-*"
                    : pick(rnd, versions)), start, end));
        }
        List<Licence> licences = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            licences.add(new Licence("licences/l" + i, "D" + (100 + i), null, Set.of(pick(rnd, persons)),
                    List.of(pick(rnd, familyIds) + "-*"), NOW.minus(Duration.ofDays(rnd.nextInt(3))),
                    rnd.nextBoolean() ? null : NOW.plus(Duration.ofHours(rnd.nextInt(72)))));
        }
        List<Directive> directives = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            DirectiveSubjects subjects = switch (rnd.nextInt(4)) {
                case 0 -> DirectiveSubjects.foreignPersons();
                case 1 -> new DirectiveSubjects(DirectiveSubjects.Kind.NON_CITIZENS, null, null, null);
                case 2 -> new DirectiveSubjects(DirectiveSubjects.Kind.NATIONALS_OF, Set.of("MO"), Set.of("D:5"),
                        DirectiveSubjects.CitizenshipMode.ANY);
                default -> new DirectiveSubjects(DirectiveSubjects.Kind.NATIONALS_OF, Set.of(pick(rnd, COUNTRIES)),
                        Set.of(), DirectiveSubjects.CitizenshipMode.MOST_RECENT);
            };
            List<Directive.CarveOut> carveOuts = new ArrayList<>();
            if (rnd.nextBoolean()) {
                carveOuts.add(Directive.CarveOut.licensedPersons());
            }
            if (rnd.nextInt(3) == 0) {
                carveOuts.add(new Directive.CarveOut(Directive.CarveOut.Kind.PROGRAMME, "prog-" + rnd.nextInt(4)));
            }
            if (rnd.nextInt(3) == 0) {
                carveOuts.add(new Directive.CarveOut(Directive.CarveOut.Kind.ORGANISATION, pick(rnd, organisations)));
            }
            if (rnd.nextInt(3) == 0) {
                carveOuts.add(new Directive.CarveOut(Directive.CarveOut.Kind.LICENCE, "licences/l" + rnd.nextInt(14)));
            }
            java.util.Collections.shuffle(carveOuts, rnd);
            Duration maxAge = rnd.nextInt(3) == 0 ? Duration.ofDays(rnd.nextInt(200)) : null;
            Instant effective = NOW.plus(Duration.ofHours(rnd.nextInt(48) - 36));
            Instant expires = rnd.nextInt(3) == 0 ? effective.plus(Duration.ofHours(1 + rnd.nextInt(48)))
                    : rnd.nextInt(10) == 0 ? Instant.parse("9999-12-31T00:00:00Z") : null; // beyond epoch nanos
            AssuranceLevel minimum = AssuranceLevel.values()[rnd.nextInt(AssuranceLevel.values().length)];
            String family = pick(rnd, familyIds);
            directives.add(new Directive("directives/d" + i, rnd.nextInt(4) == 0 ? null : "cite " + i,
                    rnd.nextInt(3) == 0 ? Directive.Mode.SHADOW : Directive.Mode.ENFORCED, effective, expires,
                    List.of(new Directive.FamilyScope(family, rnd.nextBoolean() ? null : family + "-" + (1 + rnd.nextInt(14)))),
                    subjects, minimum, maxAge, carveOuts));
        }
        CountryGroups groups = new CountryGroups(LocalDate.parse("2026-07-23"),
                Map.of("D:5", Set.of("CN", "IR", "RU")), Set.of("CU", "IR", "KP", "SY", "UA-43"));
        PolicyInputs inputs = new PolicyInputs(rnd.nextInt(1000), families, aliases, tiers, programmes, subscriptions,
                grants, licences, directives, groups);

        List<Caller> callers = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String org = rnd.nextInt(8) == 0 ? null : pick(rnd, organisations);
            if (rnd.nextInt(10) == 0) {
                callers.add(Caller.organisationKey(org, screening(rnd), i));
                continue;
            }
            UsPersonStatus status = UsPersonStatus.values()[rnd.nextInt(UsPersonStatus.values().length)];
            Set<String> citizenships = new HashSet<>();
            for (int k = rnd.nextInt(3); k >= 0; k--) {
                citizenships.add(pick(rnd, COUNTRIES));
            }
            String controlling = status.isUsPerson() || rnd.nextInt(6) == 0 ? null : pick(rnd, COUNTRIES);
            Instant verified = rnd.nextInt(10) == 0 ? null : NOW.minus(Duration.ofDays(rnd.nextInt(250)));
            Instant expires = switch (rnd.nextInt(5)) {
                case 0 -> null;
                case 1 -> NOW.plus(Duration.ofMinutes(rnd.nextInt(3000) - 1000)); // lapses among the moments
                case 2 -> Instant.parse("3000-01-01T00:00:00Z"); // beyond epoch nanos
                default -> NOW.plus(Duration.ofDays(300));
            };
            if (verified != null && rnd.nextInt(15) == 0) {
                verified = Instant.parse("1600-01-01T00:00:00Z"); // before epoch nanos
            }
            callers.add(new Caller(pick(rnd, persons), org, status, citizenships, controlling,
                    AssuranceLevel.values()[rnd.nextInt(AssuranceLevel.values().length)], verified, expires,
                    screening(rnd), i));
        }
        return new Generated(inputs, callers);
    }

    private static ScreeningStatus screening(Random rnd) {
        int n = rnd.nextInt(20);
        return n == 0 ? ScreeningStatus.CONFIRMED_MATCH : n == 1 ? ScreeningStatus.POTENTIAL_MATCH : ScreeningStatus.CLEAR;
    }

    private static <T> T pick(Random rnd, List<T> from) {
        return from.get(rnd.nextInt(from.size()));
    }

    private static <T> T pick(Random rnd, T[] from) {
        return from[rnd.nextInt(from.length)];
    }
}
