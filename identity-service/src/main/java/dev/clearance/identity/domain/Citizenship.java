package dev.clearance.identity.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

import java.time.LocalDate;
import java.util.Objects;

/** A citizenship recorded by a verification; {@code acquireDate} null means held from birth. */
@Embeddable
public class Citizenship {

    @Column(name = "country", length = 2, nullable = false)
    private String country;

    @Column(name = "acquire_date")
    private LocalDate acquireDate;

    protected Citizenship() {
    }

    public Citizenship(String country, LocalDate acquireDate) {
        this.country = Objects.requireNonNull(country);
        this.acquireDate = acquireDate;
    }

    public static Citizenship fromBirth(String country) {
        return new Citizenship(country, null);
    }

    public static Citizenship acquired(String country, LocalDate date) {
        return new Citizenship(country, Objects.requireNonNull(date));
    }

    public String country() {
        return country;
    }

    /** Null when held from birth. */
    public LocalDate acquireDate() {
        return acquireDate;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Citizenship c && country.equals(c.country) && Objects.equals(acquireDate, c.acquireDate);
    }

    @Override
    public int hashCode() {
        return Objects.hash(country, acquireDate);
    }

    @Override
    public String toString() {
        return acquireDate == null ? country + "(birth)" : country + "(" + acquireDate + ")";
    }
}
