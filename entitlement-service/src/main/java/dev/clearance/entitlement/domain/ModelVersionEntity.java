package dev.clearance.entitlement.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

@Entity
@Table(name = "model_version")
public class ModelVersionEntity extends PanacheEntityBase {
    /** Unique across the catalogue, such as {@code fable-5}. */
    @Id
    public String id;
    @Column(name = "family_id")
    public String familyId;
    /** Position in the family, oldest first. */
    public int ordinal;
    @Enumerated(EnumType.STRING)
    public VersionStatus status;
    @Column(name = "create_time")
    public Instant createTime;
    /** Bumped by every update; the etag clients send back. */
    @Column(name = "row_version")
    public long rowVersion = 1;
}
