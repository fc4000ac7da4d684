package dev.clearance.entitlement.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A directive's own fields; scope, subject codes and carve-outs are child rows. */
@Entity
@Table(name = "directive")
public class DirectiveEntity extends PanacheEntityBase {
    @Id
    public String id;
    public String issuer;
    public String reference;
    public String citation;
    @Column(name = "receive_time")
    public Instant receiveTime;
    /** Inclusive; null: in force as soon as it is enforced. */
    @Column(name = "effective_time")
    public Instant effectiveTime;
    /** Exclusive; null: no expiry. */
    @Column(name = "expire_time")
    public Instant expireTime;
    @Enumerated(EnumType.STRING)
    @Column(name = "subject_kind")
    public SubjectKind subjectKind;
    @Enumerated(EnumType.STRING)
    @Column(name = "citizenship_mode")
    public CitizenshipMode citizenshipMode;
    /** Null: no minimum. */
    @Enumerated(EnumType.STRING)
    @Column(name = "minimum_assurance")
    public AssuranceLevel minimumAssurance;
    /** Null: no limit. */
    @Column(name = "maximum_evidence_age_seconds")
    public Long maximumEvidenceAgeSeconds;
    @Enumerated(EnumType.STRING)
    public DirectiveState state;
    @Column(name = "create_time")
    public Instant createTime;
    @Column(name = "update_time")
    public Instant updateTime;

    /** Set while an enforcement waits for a second officer (the state is unchanged until then). */
    @Column(name = "pending_requester")
    public String pendingRequester;
    /** The requester's token subject (the two-person rule compares subjects). */
    @Column(name = "pending_requester_subject")
    public String pendingRequesterSubject;
    @Column(name = "pending_request_time")
    public Instant pendingRequestTime;
    @Column(name = "pending_reason")
    public String pendingReason;

    /** The last emergency enforcement by one officer; null when the last enforcement was approved. */
    @Column(name = "emergency_enforcer")
    public String emergencyEnforcer;
    @Column(name = "emergency_enforcer_subject")
    public String emergencyEnforcerSubject;
    @Column(name = "emergency_enforce_time")
    public Instant emergencyEnforceTime;
    @Column(name = "emergency_reason")
    public String emergencyReason;
    @Column(name = "emergency_confirm_deadline")
    public Instant emergencyConfirmDeadline;
    /** Null until a second officer confirms. */
    @Column(name = "emergency_confirmer")
    public String emergencyConfirmer;
    @Column(name = "emergency_confirm_time")
    public Instant emergencyConfirmTime;

    /** Issue date of the country-group table the directive was last evaluated against. */
    @Column(name = "country_groups_issue_date")
    public String countryGroupsIssueDate;

    public void clearPendingEnforcement() {
        pendingRequester = null;
        pendingRequesterSubject = null;
        pendingRequestTime = null;
        pendingReason = null;
    }

    public boolean pendingEnforcement() {
        return pendingRequester != null;
    }

    /** An emergency enforcement still in force and not confirmed by a second officer. */
    public boolean awaitingEmergencyConfirmation() {
        return state == DirectiveState.ENFORCED && emergencyEnforcer != null && emergencyConfirmer == null;
    }

    /** Awaiting confirmation past the deadline. */
    public boolean emergencyOverdue(Instant now) {
        return awaitingEmergencyConfirmation() && !now.isBefore(emergencyConfirmDeadline);
    }
}
