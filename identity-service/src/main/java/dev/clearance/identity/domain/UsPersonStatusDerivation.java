package dev.clearance.identity.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Derives a person's US-person status (15 CFR 772.1) from their evidence. Pure: no I/O, the
 * caller passes the time.
 *
 * <p>Rules, in order:
 * <ol>
 *   <li>Only current evidence counts: state VERIFIED, verified by now, not expired. Rejected,
 *       revoked and expired evidence is kept but ignored. None: UNKNOWN.</li>
 *   <li>Evidence is ordered newest first: latest verify time, then stronger assurance, then the
 *       larger id, so the result is deterministic.</li>
 *   <li>A whole-person statement (evidence without a document class) states every citizenship
 *       and the immigration status, so the newest one supersedes all evidence ordered before it
 *       rather than being merged with it: a person whose LPR record was replaced by a student
 *       visa must not keep LPR from the older record. Documents ordered after it add to it.
 *       Documents are single facts and accumulate: a dual national shows two passports.</li>
 *   <li>Citizenships are the union of what the counted evidence establishes. Any US
 *       citizenship: US_CITIZEN, whatever else the person holds; the newest evidence showing
 *       it decides.</li>
 *   <li>Else the immigration status is the one of the newest evidence that states one
 *       (statements and immigration documents; a passport says nothing about it), NONE if
 *       none does. LPR: LAWFUL_PERMANENT_RESIDENT; REFUGEE or ASYLEE: PROTECTED_INDIVIDUAL,
 *       decided by that evidence; both are US persons, so no controlling country.</li>
 *   <li>Else FOREIGN_PERSON (H-1B, students, pending adjustment of status and everyone else);
 *       the controlling country is the most recently acquired citizenship, a citizenship held
 *       from birth counting as the oldest; among several held from birth the one established
 *       first wins. The newest evidence showing that citizenship decides. Country of birth is not
 *       an input at all. A foreign person with no known citizenship is UNKNOWN: a directive on
 *       nationals of a country could not be applied to them (fail closed).</li>
 * </ol>
 *
 * <p>Self-asserted (IAL1) evidence still yields its status, reported with assurance IAL1. It is
 * the evaluator's job, not this class's, to treat a status below a directive's minimum
 * assurance as matching the directive (fail closed); keeping the status lets a directive
 * without an assurance minimum, or a report, still see what the person claimed.
 */
public final class UsPersonStatusDerivation {

    private static final String US = "US";

    /** Newest first: verify time, then assurance, then id. */
    private static final Comparator<Evidence> NEWEST_FIRST = Comparator
            .comparing(Evidence::verifyTime)
            .thenComparing(Evidence::assuranceLevel)
            .thenComparing(Evidence::verificationId)
            .reversed();

    private UsPersonStatusDerivation() {
    }

    public static DerivedStatus derive(Collection<Evidence> evidence, Instant now) {
        Instant recompute = nextChange(evidence, now);
        List<Evidence> counted = counted(evidence, now);
        if (counted.isEmpty()) {
            return DerivedStatus.unknown(recompute);
        }
        List<Citizenship> citizenships = mergedCitizenships(counted);

        Optional<Evidence> usCitizenship = newest(counted.stream().filter(e -> e.holds(US)).toList());
        if (usCitizenship.isPresent()) {
            return DerivedStatus.decidedBy(usCitizenship.get(), UsPersonStatus.US_CITIZEN, citizenships, null, recompute);
        }
        Optional<Evidence> immigration = newest(counted.stream().filter(Evidence::speaksToImmigration).toList());
        ImmigrationStatus status = immigration.map(Evidence::immigrationStatus).orElse(ImmigrationStatus.NONE);
        switch (status) {
            case LAWFUL_PERMANENT_RESIDENT -> {
                return DerivedStatus.decidedBy(immigration.get(), UsPersonStatus.LAWFUL_PERMANENT_RESIDENT,
                        citizenships, null, recompute);
            }
            case REFUGEE, ASYLEE -> {
                return DerivedStatus.decidedBy(immigration.get(), UsPersonStatus.PROTECTED_INDIVIDUAL,
                        citizenships, null, recompute);
            }
            case NONE, H1B, STUDENT, ADJUSTMENT_PENDING, OTHER_NONIMMIGRANT -> {
                String controlling = controllingCountry(citizenships);
                if (controlling == null) {
                    return DerivedStatus.unknown(recompute);
                }
                Evidence deciding = newest(counted.stream().filter(e -> e.holds(controlling)).toList()).orElseThrow();
                return DerivedStatus.decidedBy(deciding, UsPersonStatus.FOREIGN_PERSON, citizenships, controlling,
                        recompute);
            }
            default -> throw new IllegalStateException("unhandled immigration status " + status);
        }
    }

    /** Current evidence, minus what the newest whole-person statement supersedes. */
    static List<Evidence> counted(Collection<Evidence> evidence, Instant now) {
        List<Evidence> current = evidence.stream().filter(e -> e.isCurrentAt(now)).toList();
        Optional<Evidence> statement = newest(current.stream().filter(Evidence::isWholePersonStatement).toList());
        if (statement.isEmpty()) {
            return current;
        }
        Evidence baseline = statement.get();
        return current.stream()
                .filter(e -> e == baseline || (!e.isWholePersonStatement() && NEWEST_FIRST.compare(e, baseline) < 0))
                .toList();
    }

    /**
     * Union in the order established (oldest evidence first, each in its listed order), one
     * entry per country; a later acquisition date (for example from a naturalisation
     * certificate) replaces an undated one.
     */
    static List<Citizenship> mergedCitizenships(List<Evidence> counted) {
        List<Evidence> oldestFirst = new ArrayList<>(counted);
        oldestFirst.sort(NEWEST_FIRST.reversed());
        Map<String, Citizenship> byCountry = new LinkedHashMap<>();
        for (Evidence e : oldestFirst) {
            for (Citizenship c : e.citizenships()) {
                byCountry.merge(c.country(), c, (held, shown) -> shown.acquireDate() != null ? shown : held);
            }
        }
        return List.copyOf(byCountry.values());
    }

    /**
     * When the derivation can next change on its own: the earliest future expiry or verify time
     * of any verified evidence (also superseded evidence, so its state is swept to EXPIRED).
     */
    static Instant nextChange(Collection<Evidence> evidence, Instant now) {
        Instant next = null;
        for (Evidence e : evidence) {
            if (e.state() != VerificationState.VERIFIED) {
                continue;
            }
            for (Instant t : new Instant[]{e.verifyTime(), e.expireTime()}) {
                if (t != null && t.isAfter(now) && (next == null || t.isBefore(next))) {
                    next = t;
                }
            }
        }
        return next;
    }

    private static Optional<Evidence> newest(List<Evidence> evidence) {
        return evidence.stream().min(NEWEST_FIRST);
    }

    /** Most recently acquired; from birth counts as oldest; first established wins a tie. */
    static String controllingCountry(List<Citizenship> citizenships) {
        Citizenship best = null;
        for (Citizenship c : citizenships) {
            if (best == null || isLater(c.acquireDate(), best.acquireDate())) {
                best = c;
            }
        }
        return best == null ? null : best.country();
    }

    private static boolean isLater(LocalDate candidate, LocalDate current) {
        if (candidate == null) {
            return false;
        }
        return current == null || candidate.isAfter(current);
    }
}
