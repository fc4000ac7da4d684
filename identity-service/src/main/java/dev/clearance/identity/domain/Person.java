package dev.clearance.identity.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A natural person who may call models. The status columns are derived from the person's
 * evidence (see {@link UsPersonStatusDerivation}) and only ever written by
 * {@link #apply(DerivedStatus, boolean, Instant)}.
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

    /** Derived, so stored compactly: see {@link CitizenshipList}. */
    @Column(name = "citizenships", nullable = false)
    private String citizenships = "";

    @Enumerated(EnumType.STRING)
    @Column(name = "assurance_level")
    private AssuranceLevel assuranceLevel;

    @Column(name = "verify_time")
    private Instant verifyTime;

    @Column(name = "expire_time")
    private Instant expireTime;

    @Column(name = "deciding_verification")
    private String decidingVerificationId;

    /** When the stored derivation must be recomputed even without new evidence (expiry). */
    @Column(name = "status_recompute_time")
    private Instant statusRecomputeTime;

    @Enumerated(EnumType.STRING)
    @Column(name = "screening_status", nullable = false)
    private ScreeningStatus screeningStatus = ScreeningStatus.CLEAR;

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
     * Stores a fresh derivation. Bumps the revision when the status changed or
     * {@code evidenceChanged} (new or revoked evidence can change a decision even when the
     * status stays, for example a higher assurance level or a later expiry). Returns whether the
     * revision was bumped.
     */
    public boolean apply(DerivedStatus derived, boolean evidenceChanged, Instant now) {
        statusRecomputeTime = derived.recomputeTime();
        if (sameStatusAs(derived) && !evidenceChanged) {
            return false;
        }
        usPersonStatus = derived.status();
        controllingCountry = derived.controllingCountry();
        citizenships = CitizenshipList.format(derived.citizenships());
        assuranceLevel = derived.assuranceLevel();
        verifyTime = derived.verifyTime();
        expireTime = derived.expireTime();
        decidingVerificationId = derived.decidingVerification();
        bumpRevision(now);
        return true;
    }

    /** A new display name; the caller screens the person again. */
    public void rename(String displayName, Instant now) {
        this.displayName = displayName;
        this.updateTime = now;
    }

    /** Stores a new screening status; bumps the revision when it changed. Returns whether it did. */
    public boolean screened(ScreeningStatus status, Instant now) {
        if (status == screeningStatus) {
            return false;
        }
        screeningStatus = status;
        bumpRevision(now);
        return true;
    }

    /** Links this person to a Keycloak user (sync); the caller checks no one else holds the subject. */
    public void linkToSubject(String subject, Instant now) {
        this.subject = subject;
        this.updateTime = now;
    }

    /** A new organisation (membership synced from Keycloak): subscriptions come through it, so a new revision. */
    public void moveToOrganisation(String organisationId, Instant now) {
        this.organisationId = organisationId;
        bumpRevision(now);
    }

    public ScreeningStatus screeningStatus() {
        return screeningStatus;
    }

    /** For changes outside the derivation that can alter a decision (screening). */
    public void bumpRevision(Instant now) {
        identityRevision++;
        updateTime = now;
    }

    private boolean sameStatusAs(DerivedStatus d) {
        return usPersonStatus == d.status()
                && Objects.equals(controllingCountry, d.controllingCountry())
                && citizenships.equals(CitizenshipList.format(d.citizenships()))
                && assuranceLevel == d.assuranceLevel()
                && Objects.equals(verifyTime, d.verifyTime())
                && Objects.equals(expireTime, d.expireTime())
                && Objects.equals(decidingVerificationId, d.decidingVerification());
    }

    /** True when the stored status may no longer match the evidence (something expired or became current). */
    public boolean isStatusStaleAt(Instant now) {
        return statusRecomputeTime != null && !now.isBefore(statusRecomputeTime);
    }

    /** Every citizenship established by the evidence that counts. */
    public List<Citizenship> citizenships() {
        return CitizenshipList.parse(citizenships);
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

    public Instant statusRecomputeTime() {
        return statusRecomputeTime;
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
