package dev.clearance.entitlement.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One admin write: who, when, which resource, what it was and became, why, at which revision. */
@Entity
@Table(name = "change_log")
public class ChangeEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "change_time")
    public Instant changeTime;
    public String actor;
    public String resource;
    public String action;
    /** proto3 JSON; null for a create. */
    @Column(name = "before_json")
    public String before;
    /** proto3 JSON; null for a delete. */
    @Column(name = "after_json")
    public String after;
    public String reason;
    @Column(name = "policy_revision")
    public long policyRevision;
}
