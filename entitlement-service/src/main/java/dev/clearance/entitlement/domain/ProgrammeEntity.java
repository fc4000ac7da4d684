package dev.clearance.entitlement.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

@Entity
@Table(name = "programme")
public class ProgrammeEntity extends PanacheEntityBase {
    @Id
    public String id;
    public String description;
    @Column(name = "create_time")
    public Instant createTime;
    /** Bumped by every update; the etag clients send back. */
    @Column(name = "row_version")
    public long rowVersion = 1;
}
