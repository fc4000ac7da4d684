package dev.clearance.entitlement.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** An exception to a directive. */
@Entity
@Table(name = "directive_carve_out")
@IdClass(OwnedPosition.class)
public class DirectiveCarveOutEntity extends PanacheEntityBase {
    @Id
    @Column(name = "directive_id")
    public String owner;
    @Id
    public int position;
    @Enumerated(EnumType.STRING)
    public CarveOutKind kind;
    /** {@code programmes/..} or {@code organisations/..}; null for LICENSED_PERSONS. */
    public String target;

    public DirectiveCarveOutEntity() {
    }

    public DirectiveCarveOutEntity(String owner, int position, CarveOutKind kind, String target) {
        this.owner = owner;
        this.position = position;
        this.kind = kind;
        this.target = target;
    }
}
