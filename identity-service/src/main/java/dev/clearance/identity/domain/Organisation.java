package dev.clearance.identity.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** An organisation: holds subscriptions and organisation API keys. */
@Entity
@Table(name = "organisation")
public class Organisation {

    @Id
    @Column(name = "id", length = 63)
    private String id;

    @Column(name = "display_name", nullable = false)
    private String displayName;

    /** ISO 3166-1 alpha-2 country of incorporation. */
    @Column(name = "country", length = 2, nullable = false)
    private String country;

    @Column(name = "create_time", nullable = false)
    private Instant createTime;

    @Enumerated(EnumType.STRING)
    @Column(name = "screening_status", nullable = false)
    private ScreeningStatus screeningStatus = ScreeningStatus.CLEAR;

    /** The Keycloak Organization this one is synced from; null when created through the API only. */
    @Column(name = "keycloak_id", unique = true)
    private String keycloakId;

    protected Organisation() {
    }

    public Organisation(String id, String displayName, String country, Instant createTime) {
        this.id = id;
        this.displayName = displayName;
        this.country = country;
        this.createTime = createTime;
    }

    public String id() {
        return id;
    }

    public String displayName() {
        return displayName;
    }

    public String country() {
        return country;
    }

    public Instant createTime() {
        return createTime;
    }

    /** New display name and country; the caller screens the organisation again. */
    public void update(String displayName, String country) {
        this.displayName = displayName;
        this.country = country;
    }

    /** Stores a new screening status; returns whether it changed. */
    public boolean screened(ScreeningStatus status) {
        if (status == screeningStatus) {
            return false;
        }
        screeningStatus = status;
        return true;
    }

    /** Links this organisation to a Keycloak Organization (sync). */
    public void linkToKeycloak(String keycloakId) {
        this.keycloakId = keycloakId;
    }

    public String keycloakId() {
        return keycloakId;
    }

    public ScreeningStatus screeningStatus() {
        return screeningStatus;
    }
}
