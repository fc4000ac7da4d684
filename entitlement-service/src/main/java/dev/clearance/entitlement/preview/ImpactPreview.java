package dev.clearance.entitlement.preview;

import dev.clearance.policy.AccessRequest;
import dev.clearance.policy.Caller;
import dev.clearance.policy.Decision;
import dev.clearance.policy.Directive;
import dev.clearance.policy.Evaluator;
import dev.clearance.policy.ModelFamily;
import dev.clearance.policy.ModelVersion;
import dev.clearance.policy.Outcome;
import dev.clearance.policy.PolicySnapshot;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The impact of one directive: every caller is decided with the same {@link Evaluator} the
 * routers run, on the current snapshot and on the same snapshot with the directive enforced,
 * for each version the directive covers. A caller is hit on a version they may use now (ALLOW)
 * and would not (DENY, or ALLOW_FALLBACK to an older version). Pure: no I/O.
 */
public final class ImpactPreview {
    private ImpactPreview() {
    }

    public static Impact compute(PolicySnapshot current, PolicySnapshot withDirective, Directive directive,
                                 Population population, Instant now) {
        List<String> versions = coveredVersions(withDirective, directive);
        List<Impact.Hit> hits = new ArrayList<>();
        // Per version, who is hit with which fallback: API keys inherit the impact of what they are bound to.
        Map<String, Impact.Hit> hitCallers = new HashMap<>();
        for (String version : versions) {
            AccessRequest request = new AccessRequest(version, true, now, null, false);
            hitCallers.clear();
            for (Caller c : population.persons()) {
                hit(current, withDirective, c, request, Impact.Kind.PERSON, c.person(), hits, hitCallers);
            }
            for (Caller c : population.organisationKeys()) {
                hit(current, withDirective, c, request, Impact.Kind.ORGANISATION_API_KEYS, c.organisation(), hits,
                        hitCallers);
            }
            for (Population.ApiKey k : population.apiKeys()) {
                Impact.Hit owner = hitCallers.get(k.owner());
                if (owner != null) {
                    hits.add(new Impact.Hit(version, Impact.Kind.API_KEY, k.name(), k.organisation(),
                            owner.fallbackModel(), k.prefix(), k.owner()));
                }
            }
        }
        hits.sort(Comparator.comparing(Impact.Hit::model).thenComparing(Impact.Hit::caller));
        return new Impact(population.persons().size(), population.organisations(), population.apiKeys().size(),
                counts(hits), List.copyOf(hits));
    }

    private static void hit(PolicySnapshot current, PolicySnapshot withDirective, Caller c, AccessRequest request,
                            Impact.Kind kind, String name, List<Impact.Hit> hits, Map<String, Impact.Hit> hitCallers) {
        if (Evaluator.decide(current, c, request).outcome() != Outcome.ALLOW) {
            return; // nothing to take away
        }
        Decision after = Evaluator.decide(withDirective, c, request);
        if (after.outcome() == Outcome.ALLOW) {
            return;
        }
        Impact.Hit hit = new Impact.Hit(request.model(), kind, name, c.organisation(),
                after.outcome() == Outcome.ALLOW_FALLBACK ? after.servedModel() : null);
        hits.add(hit);
        hitCallers.put(name, hit);
    }

    /** The versions of the directive's scope: each family from {@code fromVersion} (or its oldest) to its newest. */
    static List<String> coveredVersions(PolicySnapshot snapshot, Directive directive) {
        List<String> out = new ArrayList<>();
        for (Directive.FamilyScope scope : directive.scope()) {
            for (ModelFamily family : snapshot.inputs().families()) {
                if (!family.id().equals(scope.family())) {
                    continue;
                }
                boolean in = scope.fromVersion() == null;
                for (ModelVersion v : family.versions()) {
                    in = in || v.id().equals(scope.fromVersion());
                    if (in) {
                        out.add(v.id());
                    }
                }
            }
        }
        return out;
    }

    private static List<Impact.ModelCount> counts(List<Impact.Hit> hits) {
        Map<String, List<Impact.Hit>> byModel = new LinkedHashMap<>();
        for (Impact.Hit h : hits) {
            byModel.computeIfAbsent(h.model(), m -> new ArrayList<>()).add(h);
        }
        List<Impact.ModelCount> out = new ArrayList<>(byModel.size());
        for (var e : byModel.entrySet()) {
            int persons = 0;
            int orgKeys = 0;
            int keys = 0;
            int orgWideKeys = 0;
            int downgraded = 0;
            int denied = 0;
            Set<String> organisations = new HashSet<>();
            for (Impact.Hit h : e.getValue()) {
                if (h.kind() == Impact.Kind.API_KEY) {
                    // Counted apart: a key shares its owner's row, which is already counted below.
                    keys++;
                    if (h.apiKeyOwner().startsWith("organisations/")) {
                        orgWideKeys++;
                    }
                    continue;
                }
                if (h.kind() == Impact.Kind.PERSON) {
                    persons++;
                } else {
                    orgKeys++;
                }
                if (h.organisation() != null) {
                    organisations.add(h.organisation());
                }
                if (h.fallbackModel() != null) {
                    downgraded++;
                } else {
                    denied++;
                }
            }
            out.add(new Impact.ModelCount(e.getKey(), persons, organisations.size(), orgKeys, downgraded, denied,
                    keys, orgWideKeys));
        }
        return List.copyOf(out);
    }
}
