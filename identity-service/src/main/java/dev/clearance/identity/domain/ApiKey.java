package dev.clearance.identity.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * An API key, owned by exactly one person or one organisation. Only the SHA-256 of the secret
 * is stored (see {@link ApiKeySecret}).
 */
@Entity
@Table(name = "api_key")
public class ApiKey {

    @Id
    @Column(name = "id", length = 63)
    private String id;

    @Column(name = "owner_person_id", length = 63)
    private String ownerPersonId;

    @Column(name = "owner_organisation_id", length = 63)
    private String ownerOrganisationId;

    @Column(name = "display_name", nullable = false)
    private String displayName;

    @Column(name = "prefix", length = 8, nullable = false, unique = true)
    private String prefix;

    @Column(name = "secret_hash", length = 64, nullable = false)
    private String secretHash;

    @Column(name = "create_time", nullable = false)
    private Instant createTime;

    @Column(name = "expire_time")
    private Instant expireTime;

    @Column(name = "revoke_time")
    private Instant revokeTime;

    protected ApiKey() {
    }

    private ApiKey(String id, String ownerPersonId, String ownerOrganisationId, String displayName, String prefix,
                   String secretHash, Instant createTime, Instant expireTime) {
        this.id = id;
        this.ownerPersonId = ownerPersonId;
        this.ownerOrganisationId = ownerOrganisationId;
        this.displayName = displayName;
        this.prefix = prefix;
        this.secretHash = secretHash;
        this.createTime = createTime;
        this.expireTime = expireTime;
    }

    public static ApiKey forPerson(String id, String personId, String displayName, ApiKeySecret secret,
                                   Instant createTime, Instant expireTime) {
        return new ApiKey(id, personId, null, displayName, secret.prefix(), secret.hash(), createTime, expireTime);
    }

    public static ApiKey forOrganisation(String id, String organisationId, String displayName, ApiKeySecret secret,
                                         Instant createTime, Instant expireTime) {
        return new ApiKey(id, null, organisationId, displayName, secret.prefix(), secret.hash(), createTime, expireTime);
    }

    /** Idempotent: revoking twice keeps the first revoke time. */
    public void revoke(Instant now) {
        if (revokeTime == null) {
            revokeTime = now;
        }
    }

    public boolean isRevoked() {
        return revokeTime != null;
    }

    public boolean isExpiredAt(Instant now) {
        return expireTime != null && !now.isBefore(expireTime);
    }

    public boolean isPersonKey() {
        return ownerPersonId != null;
    }

    public String id() {
        return id;
    }

    /** Null for an organisation key. */
    public String ownerPersonId() {
        return ownerPersonId;
    }

    /** Null for a person key. */
    public String ownerOrganisationId() {
        return ownerOrganisationId;
    }

    public String displayName() {
        return displayName;
    }

    public String prefix() {
        return prefix;
    }

    public String secretHash() {
        return secretHash;
    }

    public Instant createTime() {
        return createTime;
    }

    public Instant expireTime() {
        return expireTime;
    }

    public Instant revokeTime() {
        return revokeTime;
    }
}
