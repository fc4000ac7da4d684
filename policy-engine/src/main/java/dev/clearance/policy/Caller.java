package dev.clearance.policy;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Who is asking, as identity-service verified it. Nothing here may come from request
 * metadata: the router fills it from identity-service only.
 *
 * @param person             {@code persons/{id}}, or null for an organisation API key
 * @param organisation       {@code organisations/{id}}, or null
 * @param status             derived US-person status
 * @param citizenships       every verified citizenship (ISO 3166-1 alpha-2)
 * @param controllingCountry most recent citizenship or permanent residency; null for US persons
 * @param verifiedAt         when the deciding evidence was verified, or null
 * @param expiresAt          when the deciding evidence expires, or null
 */
public record Caller(
        String person,
        String organisation,
        UsPersonStatus status,
        Set<String> citizenships,
        String controllingCountry,
        AssuranceLevel assurance,
        Instant verifiedAt,
        Instant expiresAt,
        ScreeningStatus screening,
        long identityRevision) {

    public Caller {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(assurance, "assurance");
        Objects.requireNonNull(screening, "screening");
        citizenships = citizenships == null ? Set.of() : Set.copyOf(citizenships);
    }

    /** An organisation-wide API key not bound to a person: status UNKNOWN for directive purposes. */
    public static Caller organisationKey(String organisation, ScreeningStatus screening, long identityRevision) {
        return new Caller(null, organisation, UsPersonStatus.UNKNOWN, Set.of(), null, AssuranceLevel.NONE,
                null, null, screening, identityRevision);
    }

    /** Whether the verification behind the status is still valid at {@code now}. */
    boolean evidenceCurrent(Instant now) {
        return verifiedAt != null && (expiresAt == null || now.isBefore(expiresAt));
    }
}
