package dev.clearance.identity.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;

import java.time.Instant;

/** One transition in a piece of evidence's history; the first one is its recording. */
@Embeddable
public class StateChange {

    /** Actor of changes the service makes itself (expiry). */
    public static final String SYSTEM = "system";

    @Enumerated(EnumType.STRING)
    @Column(name = "state", nullable = false)
    private VerificationState state;

    @Column(name = "actor", nullable = false)
    private String actor;

    @Column(name = "reason", nullable = false)
    private String reason;

    @Column(name = "change_time", nullable = false)
    private Instant changeTime;

    protected StateChange() {
    }

    public StateChange(VerificationState state, String actor, String reason, Instant changeTime) {
        this.state = state;
        this.actor = actor;
        this.reason = reason;
        this.changeTime = changeTime;
    }

    public VerificationState state() {
        return state;
    }

    public String actor() {
        return actor;
    }

    public String reason() {
        return reason;
    }

    public Instant changeTime() {
        return changeTime;
    }
}
