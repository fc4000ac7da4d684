package dev.clearance.identity.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * A subject's name that matched a listed party. Automated hits open as OPEN (the subject is a
 * potential match) until an officer confirms or clears them. The key (subject, list entry,
 * entry fingerprint, subject name) is unique, so a cleared match stays cleared across reloads
 * while neither the entry nor the subject's name changes.
 */
@Entity
@Table(name = "screening_match")
public class ScreeningMatch {

    public enum SubjectType {
        PERSON, ORGANISATION
    }

    public enum State {
        OPEN, CONFIRMED, CLEARED, LAPSED
    }

    @Id
    @Column(name = "id", length = 36)
    private String id;

    /** Insertion order, for stable oldest-first paging. */
    @Column(name = "seq", insertable = false, updatable = false)
    private Long seq;

    @Enumerated(EnumType.STRING)
    @Column(name = "subject_type", nullable = false)
    private SubjectType subjectType;

    @Column(name = "subject_id", nullable = false)
    private String subjectId;

    @Column(name = "subject_name", nullable = false)
    private String subjectName;

    @Column(name = "list_entry_id", nullable = false)
    private String listEntryId;

    @Column(name = "entry_fingerprint", nullable = false)
    private String entryFingerprint;

    @Column(name = "list_source", nullable = false)
    private String listSource;

    @Column(name = "listed_name", nullable = false)
    private String listedName;

    /** Comma-separated ISO codes. */
    @Column(name = "listed_countries", nullable = false)
    private String listedCountries;

    @Column(name = "score", nullable = false)
    private double score;

    @Column(name = "strong", nullable = false)
    private boolean strong;

    @Enumerated(EnumType.STRING)
    @Column(name = "state", nullable = false)
    private State state;

    @Column(name = "list_version", nullable = false)
    private String listVersion;

    @Column(name = "create_time", nullable = false)
    private Instant createTime;

    @Column(name = "resolved_by")
    private String resolvedBy;

    @Column(name = "resolution_reason")
    private String resolutionReason;

    @Column(name = "resolve_time")
    private Instant resolveTime;

    protected ScreeningMatch() {
    }

    public ScreeningMatch(String id, SubjectType subjectType, String subjectId, String subjectName, String listEntryId,
                          String entryFingerprint, String listSource, String listedName, List<String> listedCountries,
                          double score, boolean strong, String listVersion, Instant now) {
        this.id = id;
        this.subjectType = subjectType;
        this.subjectId = subjectId;
        this.subjectName = subjectName;
        this.listEntryId = listEntryId;
        this.entryFingerprint = entryFingerprint;
        this.listSource = listSource;
        this.listedName = listedName;
        this.listedCountries = String.join(",", listedCountries);
        this.score = score;
        this.strong = strong;
        this.state = State.OPEN;
        this.listVersion = listVersion;
        this.createTime = now;
    }

    /** An officer's decision. OPEN can be confirmed or cleared; CONFIRMED can still be cleared (delisting, error). */
    public void resolve(State to, String actor, String reason, Instant now) {
        if (!canResolveTo(to)) {
            throw new IllegalStateException("cannot move a " + state + " match to " + to);
        }
        setState(to, actor, reason, now);
    }

    public boolean canResolveTo(State to) {
        return (state == State.OPEN && (to == State.CONFIRMED || to == State.CLEARED))
                || (state == State.CONFIRMED && to == State.CLEARED);
    }

    /** An open hit that no longer matches. */
    public void lapse(String reason, Instant now) {
        if (state == State.OPEN) {
            setState(State.LAPSED, StateChange.SYSTEM, reason, now);
        }
    }

    /** A lapsed hit that matches again. */
    public void reopen(String listVersion, Instant now) {
        if (state == State.LAPSED) {
            this.listVersion = listVersion;
            setState(State.OPEN, StateChange.SYSTEM, "matches again (list " + listVersion.substring(0, 12) + ")", now);
        }
    }

    private void setState(State to, String actor, String reason, Instant now) {
        state = to;
        resolvedBy = actor;
        resolutionReason = reason;
        resolveTime = now;
    }

    public String key() {
        return listEntryId + "\n" + entryFingerprint + "\n" + subjectName;
    }

    public String id() {
        return id;
    }

    public SubjectType subjectType() {
        return subjectType;
    }

    public String subjectId() {
        return subjectId;
    }

    public String subjectName() {
        return subjectName;
    }

    public String listEntryId() {
        return listEntryId;
    }

    public String listSource() {
        return listSource;
    }

    public String listedName() {
        return listedName;
    }

    public List<String> listedCountries() {
        return listedCountries.isEmpty() ? List.of() : Arrays.asList(listedCountries.split(","));
    }

    public double score() {
        return score;
    }

    public boolean strong() {
        return strong;
    }

    public State state() {
        return state;
    }

    public String listVersion() {
        return listVersion;
    }

    public Instant createTime() {
        return createTime;
    }

    public String resolvedBy() {
        return resolvedBy;
    }

    public String resolutionReason() {
        return resolutionReason;
    }

    public Instant resolveTime() {
        return resolveTime;
    }

    public Long seq() {
        return seq;
    }
}
