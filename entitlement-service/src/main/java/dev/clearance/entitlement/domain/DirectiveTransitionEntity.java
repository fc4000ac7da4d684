package dev.clearance.entitlement.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One lifecycle change of a directive: who, when, from what to what, why, at which revision. */
@Entity
@Table(name = "directive_transition")
public class DirectiveTransitionEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "directive_id")
    public String directiveId;
    /** Null when the directive was created. */
    /** Null on rows written before actions were recorded. */
    @Enumerated(EnumType.STRING)
    public DirectiveAction action;
    @Enumerated(EnumType.STRING)
    @Column(name = "from_state")
    public DirectiveState fromState;
    @Enumerated(EnumType.STRING)
    @Column(name = "to_state")
    public DirectiveState toState;
    public String actor;
    @Column(name = "transition_time")
    public Instant transitionTime;
    public String reason;
    @Column(name = "policy_revision")
    public long policyRevision;
}
