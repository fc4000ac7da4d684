package dev.clearance.identity.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A natural person who may call models. The status columns are derived from the person's
 * verifications (see {@link UsPersonStatusDerivation}) and only ever written by
 * {@link #apply(DerivedStatus, Instant)}.
 */
@Entity
@Table(name = "person")
public class Person {

    @Id
    @Column(name = "id", length = 63)
    private String id;

    @Column(name = "display_name", nullable = false)
    private String displayName;

    @Column(name = "organisation_id", length = 63)
    private String organisationId;

    /** Keycloak user id (token {@code sub}). */
    @Column(name = "subject", unique = true)
    private String subject;

    @Enumerated(EnumType.STRING)
    @Column(name = "us_person_status", nullable = false)
    private UsPersonStatus usPersonStatus = UsPersonStatus.UNKNOWN;

    @Column(name = "controlling_country", length = 2)
    private String controllingCountry;

    @Enumerated(EnumType.STRING)
    @Column(name = "assurance_level")
    private AssuranceLevel assuranceLevel;

    @Column(name = "verify_time")
    private Instant verifyTime;

    @Column(name = "expire_time")
    private Instant expireTime;

    /** The citizenships shown are the deciding verification's. */
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "deciding_verification")
    private Verification decidingVerification;

    /** The same column, readable without loading the association. */
    @Column(name = "deciding_verification", insertable = false, updatable = false)
    private String decidingVerificationId;

    /** Monotonic; bumped on every change that can alter a decision. */
    @Column(name = "identity_revision", nullable = false)
    private long identityRevision;

    @Column(name = "create_time", nullable = false)
    private Instant createTime;

    @Column(name = "update_time", nullable = false)
    private Instant updateTime;

    protected Person() {
    }

    public Person(String id, String displayName, String organisationId, String subject, Instant now) {
        this.id = id;
        this.displayName = displayName;
        this.organisationId = organisationId;
        this.subject = subject;
        this.identityRevision = 1;
        this.createTime = now;
        this.updateTime = now;
    }

    /**
     * Stores a fresh derivation; {@code deciding} is the loaded verification it names. Bumps the
     * revision when the status changed or {@code evidenceAdded} (new evidence can change a
     * decision even when the status stays, for example a higher assurance level or a later
     * expiry). Returns whether the revision was bumped.
     */
    public boolean apply(DerivedStatus derived, Verification deciding, boolean evidenceAdded, Instant now) {
        String decidingId = deciding == null ? null : deciding.id();
        if (!Objects.equals(derived.decidingVerification(), decidingId)) {
            throw new IllegalArgumentException("deciding verification does not match the derivation");
        }
        // Always point at the loaded instance (same row), so callers can read its citizenships.
        decidingVerification = deciding;
        if (sameStatusAs(derived) && !evidenceAdded) {
            return false;
        }
        usPersonStatus = derived.status();
        controllingCountry = derived.controllingCountry();
        assuranceLevel = derived.assuranceLevel();
        verifyTime = derived.verifyTime();
        expireTime = derived.expireTime();
        decidingVerificationId = decidingId;
        identityRevision++;
        updateTime = now;
        return true;
    }

    /** The citizenships come from the deciding verification, which is immutable, so its id stands for them. */
    private boolean sameStatusAs(DerivedStatus d) {
        return usPersonStatus == d.status()
                && Objects.equals(controllingCountry, d.controllingCountry())
                && assuranceLevel == d.assuranceLevel()
                && Objects.equals(verifyTime, d.verifyTime())
                && Objects.equals(expireTime, d.expireTime())
                && Objects.equals(decidingVerificationId, d.decidingVerification());
    }

    /** True when the stored status rests on evidence that has expired by {@code now}. */
    public boolean isStatusStaleAt(Instant now) {
        return expireTime != null && !now.isBefore(expireTime);
    }

    /** Citizenships of the deciding verification; it must have been loaded with the person. */
    public List<Citizenship> citizenships() {
        return decidingVerification == null ? List.of() : decidingVerification.citizenships();
    }

    public String id() {
        return id;
    }

    public String displayName() {
        return displayName;
    }

    public String organisationId() {
        return organisationId;
    }

    public String subject() {
        return subject;
    }

    public UsPersonStatus usPersonStatus() {
        return usPersonStatus;
    }

    public String controllingCountry() {
        return controllingCountry;
    }

    public AssuranceLevel assuranceLevel() {
        return assuranceLevel;
    }

    public Instant verifyTime() {
        return verifyTime;
    }

    public Instant expireTime() {
        return expireTime;
    }

    /** Null when the status is UNKNOWN. */
    public String decidingVerificationId() {
        return decidingVerificationId;
    }

    public long identityRevision() {
        return identityRevision;
    }

    public Instant createTime() {
        return createTime;
    }

    public Instant updateTime() {
        return updateTime;
    }
}
