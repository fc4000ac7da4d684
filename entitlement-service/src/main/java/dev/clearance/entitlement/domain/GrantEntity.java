package dev.clearance.entitlement.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

@Entity
@Table(name = "access_grant")
public class GrantEntity extends PanacheEntityBase {
    @Id
    public String id;
    /** {@code persons/..}, {@code organisations/..} or {@code programmes/..}. */
    public String grantee;
    /** Inclusive; null means always. */
    @Column(name = "start_time")
    public Instant startTime;
    /** Exclusive; null means never ends. */
    @Column(name = "end_time")
    public Instant endTime;
    public String reason;
    @Column(name = "create_time")
    public Instant createTime;
    /** Bumped by every update; the etag clients send back. */
    @Column(name = "row_version")
    public long rowVersion = 1;
}
