package dev.clearance.entitlement.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** A country or EAR country group a NATIONALS_OF directive names, as written. */
@Entity
@Table(name = "directive_subject")
@IdClass(OwnedPosition.class)
public class DirectiveSubjectEntity extends PanacheEntityBase {
    @Id
    @Column(name = "directive_id")
    public String owner;
    @Id
    public int position;
    @Enumerated(EnumType.STRING)
    public SubjectCodeKind kind;
    public String code;

    public DirectiveSubjectEntity() {
    }

    public DirectiveSubjectEntity(String owner, int position, SubjectCodeKind kind, String code) {
        this.owner = owner;
        this.position = position;
        this.kind = kind;
        this.code = code;
    }
}
