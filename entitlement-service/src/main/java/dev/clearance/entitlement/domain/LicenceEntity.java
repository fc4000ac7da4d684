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
@Table(name = "licence")
public class LicenceEntity extends PanacheEntityBase {
    @Id
    public String id;
    @Enumerated(EnumType.STRING)
    public LicenceKind kind;
    public String reference;
    /** {@code organisations/..}, or null. */
    public String holder;
    @Column(name = "start_time")
    public Instant startTime;
    @Column(name = "end_time")
    public Instant endTime;
    @Column(name = "create_time")
    public Instant createTime;
    /** Bumped by every update; the etag clients send back. */
    @Column(name = "row_version")
    public long rowVersion = 1;
}
