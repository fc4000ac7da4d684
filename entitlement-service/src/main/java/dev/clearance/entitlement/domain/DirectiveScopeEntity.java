package dev.clearance.entitlement.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** A family a directive covers, from {@code fromVersion} (null: the whole family). */
@Entity
@Table(name = "directive_scope")
@IdClass(OwnedPosition.class)
public class DirectiveScopeEntity extends PanacheEntityBase {
    @Id
    @Column(name = "directive_id")
    public String owner;
    @Id
    public int position;
    @Column(name = "family_id")
    public String familyId;
    @Column(name = "from_version")
    public String fromVersion;

    public DirectiveScopeEntity() {
    }

    public DirectiveScopeEntity(String owner, int position, String familyId, String fromVersion) {
        this.owner = owner;
        this.position = position;
        this.familyId = familyId;
        this.fromVersion = fromVersion;
    }
}
