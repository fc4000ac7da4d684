package dev.clearance.identity.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A signed vendor webhook delivery that was accepted once; its (vendor, event id) is unique. */
@Entity
@Table(name = "webhook_event")
public class WebhookEvent {

    public enum Outcome {
        /** Evidence was recorded or changed. */
        PROCESSED,
        /** Nothing to record (not a decision, unknown person, document without meaning here). */
        IGNORED
    }

    private static final int MAX_DETAIL = 4000;
    private static final int MAX_TYPE = 100;

    @Id
    @Column(name = "id", length = 36)
    private String id;

    @Enumerated(EnumType.STRING)
    @Column(name = "vendor", nullable = false)
    private KycVendor vendor;

    @Column(name = "event_id", nullable = false)
    private String eventId;

    @Column(name = "event_type", nullable = false)
    private String eventType;

    @Column(name = "receive_time", nullable = false)
    private Instant receiveTime;

    @Enumerated(EnumType.STRING)
    @Column(name = "outcome", nullable = false)
    private Outcome outcome;

    @Column(name = "detail", nullable = false)
    private String detail;

    protected WebhookEvent() {
    }

    public WebhookEvent(String id, KycVendor vendor, String eventId, String eventType, Instant receiveTime) {
        this.id = id;
        this.vendor = vendor;
        this.eventId = eventId;
        this.eventType = truncate(eventType, MAX_TYPE);
        this.receiveTime = receiveTime;
        this.outcome = Outcome.IGNORED;
        this.detail = "";
    }

    public void complete(Outcome outcome, String detail) {
        this.outcome = outcome;
        this.detail = truncate(detail, MAX_DETAIL);
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    public String eventId() {
        return eventId;
    }

    public Outcome outcome() {
        return outcome;
    }

    public String detail() {
        return detail;
    }
}
