package dev.clearance.entitlement.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.time.LocalDate;

/** An EAR country-group table an operator loaded, as loaded, with who, when, why and at which revision. */
@Entity
@Table(name = "country_group_table")
public class CountryGroupTableEntity extends PanacheEntityBase {
    @Id
    @Column(name = "effective_date")
    public LocalDate effectiveDate;
    public String document;
    @Column(name = "loaded_by")
    public String loadedBy;
    @Column(name = "load_time")
    public Instant loadTime;
    public String reason;
    @Column(name = "policy_revision")
    public long policyRevision;
    /** Null while the table waits for its effective date. */
    @Column(name = "activation_revision")
    public Long activationRevision;
}
