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
}
