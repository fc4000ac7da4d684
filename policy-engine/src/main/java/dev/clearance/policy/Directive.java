package dev.clearance.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A directive in SHADOW or ENFORCED state (drafts, suspended and revoked ones never reach a snapshot).
 *
 * @param id                 {@code directives/{id}}
 * @param effectiveAt        inclusive, honoured to the instant
 * @param expiresAt          exclusive; null means no expiry
 * @param minimumAssurance   callers verified below it count as matching (fail closed)
 * @param maximumEvidenceAge evidence verified longer ago counts as unverified; null for no limit
 */
public record Directive(
        String id,
        String citation,
        Mode mode,
        Instant effectiveAt,
        Instant expiresAt,
        List<FamilyScope> scope,
        DirectiveSubjects subjects,
        AssuranceLevel minimumAssurance,
        Duration maximumEvidenceAge,
        List<CarveOut> carveOuts) {

    public enum Mode {
        /** Evaluated and reported as "would deny"; never changes an answer. */
        SHADOW,
        ENFORCED
    }

    public Directive {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(subjects, "subjects");
        scope = List.copyOf(scope);
        carveOuts = List.copyOf(carveOuts);
        minimumAssurance = minimumAssurance == null ? AssuranceLevel.NONE : minimumAssurance;
        citation = citation == null ? "" : citation;
    }

    boolean inForceAt(Instant now) {
        return Validity.contains(effectiveAt, expiresAt, now);
    }

    /**
     * The models a directive covers: {@code fromVersion} of the family and every later one;
     * a null {@code fromVersion} covers the whole family.
     */
    public record FamilyScope(String family, String fromVersion) {
    }

    /**
     * An exception: licensed persons (any valid licence naming person and model), one named licence
     * ({@code licences/..}, same test for that licence only), a programme's members, or one organisation.
     */
    public record CarveOut(Kind kind, String target) {
        public enum Kind { LICENSED_PERSONS, LICENCE, PROGRAMME, ORGANISATION }

        public static CarveOut licensedPersons() {
            return new CarveOut(Kind.LICENSED_PERSONS, null);
        }
    }
}
