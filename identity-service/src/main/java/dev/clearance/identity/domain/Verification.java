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

/** Verified evidence about a person's citizenships and US immigration status. Immutable once recorded. */
@Entity
@Table(name = "verification")
public class Verification {

    @Id
    @Column(name = "id", length = 36)
    private String id;

    @Column(name = "person_id", nullable = false, length = 63)
    private String personId;

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

    @Column(name = "create_time", nullable = false)
    private Instant createTime;

    protected Verification() {
    }

    public Verification(String id, String personId, List<Citizenship> citizenships, ImmigrationStatus immigrationStatus,
                        AssuranceLevel assuranceLevel, Instant verifyTime, Instant expireTime,
                        String evidenceReference, Instant createTime) {
        this.id = id;
        this.personId = personId;
        this.citizenships = new ArrayList<>(citizenships);
        this.immigrationStatus = immigrationStatus;
        this.assuranceLevel = assuranceLevel;
        this.verifyTime = verifyTime;
        this.expireTime = expireTime;
        this.evidenceReference = evidenceReference;
        this.createTime = createTime;
    }

    public Evidence toEvidence() {
        return new Evidence(id, citizenships, immigrationStatus, assuranceLevel, verifyTime, expireTime);
    }

    public String id() {
        return id;
    }

    public String personId() {
        return personId;
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

    public Instant createTime() {
        return createTime;
    }
}
