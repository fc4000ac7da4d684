package dev.clearance.entitlement.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** A person ({@code persons/..}) named on a licence. */
@Entity
@Table(name = "licence_named_person")
@IdClass(OwnedPosition.class)
public class LicenceNamedPersonEntity extends PanacheEntityBase {
    @Id
    @Column(name = "licence_id")
    public String owner;
    @Id
    public int position;
    @Column(name = "person")
    public String person;

    public LicenceNamedPersonEntity() {
    }

    public LicenceNamedPersonEntity(String owner, int position, String person) {
        this.owner = owner;
        this.position = position;
        this.person = person;
    }
}
