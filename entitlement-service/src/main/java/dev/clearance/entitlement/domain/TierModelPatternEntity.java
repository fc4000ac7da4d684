package dev.clearance.entitlement.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** One model pattern of a tier, in the order given. */
@Entity
@Table(name = "tier_model_pattern")
@IdClass(OwnedPosition.class)
public class TierModelPatternEntity extends PanacheEntityBase {
    @Id
    @Column(name = "tier_id")
    public String owner;
    @Id
    public int position;
    @Column(name = "pattern")
    public String pattern;

    public TierModelPatternEntity() {
    }

    public TierModelPatternEntity(String owner, int position, String pattern) {
        this.owner = owner;
        this.position = position;
        this.pattern = pattern;
    }
}
