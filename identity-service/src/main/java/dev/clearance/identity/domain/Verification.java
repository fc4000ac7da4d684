package dev.clearance.identity.domain;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A piece of evidence about a person's citizenships and US immigration status. What it
 * established never changes; only its state does, and every state change is kept (evidence is
 * never deleted).
 */
@Entity
@Table(name = "verification")
public class Verification {

    @Id
    @Column(name = "id", length = 36)
    private String id;

    @Column(name = "person_id", nullable = false, length = 63)
    private String personId;

    /** Null: a whole-person statement rather than one document. */
    @Enumerated(EnumType.STRING)
    @Column(name = "document_class")
    private DocumentClass documentClass;

    @Column(name = "issuing_country", length = 2)
    private String issuingCountry;

    /** In the order the evidence listed them; the order breaks ties between birth citizenships. */
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "citizenship", joinColumns = @JoinColumn(name = "verification_id"))
    @OrderColumn(name = "position")
    private List<Citizenship> citizenships = new ArrayList<>();

    @Enumerated(EnumType.STRING)
    @Column(name = "immigration_status", nullable = false)
    private ImmigrationStatus immigrationStatus;

    @Enumerated(EnumType.STRING)
    @Column(name = "assurance_level", nullable = false)
    private AssuranceLevel assuranceLevel;

    @Column(name = "verify_time", nullable = false)
    private Instant verifyTime;

    @Column(name = "expire_time")
    private Instant expireTime;

    @Column(name = "evidence_reference")
    private String evidenceReference;

    @Enumerated(EnumType.STRING)
    @Column(name = "method", nullable = false)
    private VerificationMethod method;

    @Enumerated(EnumType.STRING)
    @Column(name = "vendor")
    private KycVendor vendor;

    @Column(name = "vendor_report_id")
    private String vendorReportId;

    @Enumerated(EnumType.STRING)
    @Column(name = "state", nullable = false)
    private VerificationState state;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "verification_state_change", joinColumns = @JoinColumn(name = "verification_id"))
    @OrderColumn(name = "position")
    private List<StateChange> stateChanges = new ArrayList<>();

    @Column(name = "create_time", nullable = false)
    private Instant createTime;

    protected Verification() {
    }

    /** Records new evidence; its first state change says who recorded it, why and in which state. */
    public Verification(String id, String personId, NewEvidence e, Instant now) {
        this.id = id;
        this.personId = personId;
        this.documentClass = e.documentClass();
        this.issuingCountry = e.issuingCountry();
        this.citizenships = new ArrayList<>(e.citizenships());
        this.immigrationStatus = e.immigrationStatus();
        this.assuranceLevel = e.assuranceLevel();
        this.verifyTime = e.verifyTime();
        this.expireTime = e.expireTime();
        this.evidenceReference = e.evidenceReference();
        this.method = e.method();
        this.vendor = e.vendor();
        this.vendorReportId = e.vendorReportId();
        this.state = e.state();
        this.stateChanges.add(new StateChange(e.state(), e.actor(), e.reason(), now));
        this.createTime = now;
    }

    /**
     * Withdraws verified or expired evidence. Revoked is final: nothing moves out of it, so
     * revoking twice is refused by the caller rather than rewriting who revoked it.
     */
    public void revoke(String actor, String reason, Instant now) {
        if (!canBeRevoked()) {
            throw new IllegalStateException("cannot revoke evidence in state " + state);
        }
        changeState(VerificationState.REVOKED, actor, reason, now);
    }

    public boolean canBeRevoked() {
        return state == VerificationState.VERIFIED || state == VerificationState.EXPIRED;
    }

    /** A vendor reversed its rejection on review; only possible while the evidence has an end. */
    public void reinstateByVendor(String actor, String reason, Instant now) {
        if (!canBeReinstated()) {
            throw new IllegalStateException("cannot reinstate evidence in state " + state + " expiring " + expireTime);
        }
        changeState(VerificationState.VERIFIED, actor, reason, now);
    }

    public boolean canBeReinstated() {
        return state == VerificationState.REJECTED && method == VerificationMethod.VENDOR && expireTime != null;
    }

    /** Moves verified evidence whose expire time has passed to EXPIRED; returns whether it did. */
    /** Whether {@link #expireIfDue} would expire this evidence at {@code now}. */
    public boolean expiryDue(Instant now) {
        return state == VerificationState.VERIFIED && expireTime != null && !now.isBefore(expireTime);
    }

    public boolean expireIfDue(Instant now) {
        if (!expiryDue(now)) {
            return false;
        }
        changeState(VerificationState.EXPIRED, StateChange.SYSTEM, "expire time " + expireTime + " passed", now);
        return true;
    }

    private void changeState(VerificationState to, String actor, String reason, Instant now) {
        state = Objects.requireNonNull(to);
        stateChanges.add(new StateChange(to, actor, reason, now));
    }

    public Evidence toEvidence() {
        return new Evidence(id, documentClass, state, citizenships, immigrationStatus, assuranceLevel, verifyTime,
                expireTime);
    }

    public String id() {
        return id;
    }

    public String personId() {
        return personId;
    }

    /** Null for a whole-person statement. */
    public DocumentClass documentClass() {
        return documentClass;
    }

    public String issuingCountry() {
        return issuingCountry;
    }

    public List<Citizenship> citizenships() {
        return List.copyOf(citizenships);
    }

    public ImmigrationStatus immigrationStatus() {
        return immigrationStatus;
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

    public String evidenceReference() {
        return evidenceReference;
    }

    public VerificationMethod method() {
        return method;
    }

    /** Null unless the method is VENDOR. */
    public KycVendor vendor() {
        return vendor;
    }

    public String vendorReportId() {
        return vendorReportId;
    }

    public VerificationState state() {
        return state;
    }

    public List<StateChange> stateChanges() {
        return List.copyOf(stateChanges);
    }

    public Instant createTime() {
        return createTime;
    }
}
