package dev.clearance.identity.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Derives a person's US-person status (15 CFR 772.1) from their verifications. Pure: no I/O,
 * the caller passes the time.
 *
 * <p>Rules, in order:
 * <ol>
 *   <li>Only current evidence counts (verified by now, not expired). None: UNKNOWN.</li>
 *   <li>Of the current evidence, the newest (latest verify time) decides alone. A later
 *       verification supersedes an earlier one rather than being merged with it: a
 *       naturalisation is recorded as new evidence, and a person whose LPR card was replaced by a
 *       student visa must not keep LPR from the older record. Ties on verify time go to the
 *       stronger assurance, then to the larger verification id, so the result is deterministic.</li>
 *   <li>Any US citizenship: US_CITIZEN, whatever else the person holds.</li>
 *   <li>Else immigration status LPR: LAWFUL_PERMANENT_RESIDENT; REFUGEE or ASYLEE:
 *       PROTECTED_INDIVIDUAL. Both are US persons, so no controlling country.</li>
 *   <li>Else FOREIGN_PERSON (H-1B, students, pending adjustment of status and everyone else);
 *       the controlling country is the most recently acquired citizenship, a citizenship held
 *       from birth counting as the oldest. Among several held from birth the one listed first in
 *       the evidence wins. Country of birth is not an input at all.</li>
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

    public static DerivedStatus derive(Collection<Evidence> verifications, Instant now) {
        Optional<Evidence> deciding = verifications.stream()
                .filter(e -> e.isCurrentAt(now))
                .min(NEWEST_FIRST);
        return deciding.map(UsPersonStatusDerivation::fromEvidence).orElse(DerivedStatus.UNKNOWN);
    }

    private static DerivedStatus fromEvidence(Evidence e) {
        UsPersonStatus status = statusOf(e);
        String controlling = status == UsPersonStatus.FOREIGN_PERSON ? controllingCountry(e.citizenships()) : null;
        return new DerivedStatus(status, e.citizenships(), controlling, e.assuranceLevel(), e.verifyTime(),
                e.expireTime(), e.verificationId());
    }

    private static UsPersonStatus statusOf(Evidence e) {
        if (e.citizenships().stream().anyMatch(c -> US.equals(c.country()))) {
            return UsPersonStatus.US_CITIZEN;
        }
        return switch (e.immigrationStatus()) {
            case LAWFUL_PERMANENT_RESIDENT -> UsPersonStatus.LAWFUL_PERMANENT_RESIDENT;
            case REFUGEE, ASYLEE -> UsPersonStatus.PROTECTED_INDIVIDUAL;
            case NONE, H1B, STUDENT, ADJUSTMENT_PENDING, OTHER_NONIMMIGRANT -> UsPersonStatus.FOREIGN_PERSON;
        };
    }

    /** Most recently acquired; from birth counts as oldest; first listed wins a tie. */
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
