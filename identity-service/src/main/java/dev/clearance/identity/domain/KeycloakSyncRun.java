package dev.clearance.identity.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** The record of one Keycloak sync: when, why it ran, whether it worked, and every change it made. */
@Entity
@Table(name = "keycloak_sync_run")
public class KeycloakSyncRun {

    public enum Trigger { PERIODIC, ON_DEMAND }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    private Long id;

    @Column(name = "trigger", nullable = false)
    private String trigger;

    @Column(name = "start_time", nullable = false)
    private Instant startTime;

    @Column(name = "end_time", nullable = false)
    private Instant endTime;

    @Column(name = "succeeded", nullable = false)
    private boolean succeeded;

    @Column(name = "failure")
    private String failure;

    @Column(name = "users_seen", nullable = false)
    private int usersSeen;

    @Column(name = "organisations_seen", nullable = false)
    private int organisationsSeen;

    @Column(name = "changes", nullable = false)
    private String changes;

    protected KeycloakSyncRun() {
    }

    public KeycloakSyncRun(Trigger trigger, Instant startTime, Instant endTime, boolean succeeded, String failure,
                           int usersSeen, int organisationsSeen, String changes) {
        this.trigger = trigger.name();
        this.startTime = startTime;
        this.endTime = endTime;
        this.succeeded = succeeded;
        this.failure = failure == null ? null : failure.substring(0, Math.min(failure.length(), 1000));
        this.usersSeen = usersSeen;
        this.organisationsSeen = organisationsSeen;
        this.changes = changes;
    }

    public Long id() {
        return id;
    }
}
