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

    @Column(name = "last_use_time")
    private Instant lastUseTime;

    @Column(name = "rotate_time")
    private Instant rotateTime;

    /** During a rotation overlap: the previous secret's prefix and hash, accepted until its expire time. */
    @Column(name = "previous_prefix", length = 8)
    private String previousPrefix;

    @Column(name = "previous_secret_hash", length = 64)
    private String previousSecretHash;

    @Column(name = "previous_secret_expire_time")
    private Instant previousSecretExpireTime;

    @Column(name = "previous_secret_last_use_time")
    private Instant previousSecretLastUseTime;

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

    /**
     * A new current secret; the current one becomes the previous, accepted until
     * {@code previousExpireTime} (at or before {@code now}: not at all). Any older previous
     * secret is dropped.
     */
    public void rotate(ApiKeySecret next, Instant now, Instant previousExpireTime) {
        previousPrefix = prefix;
        previousSecretHash = secretHash;
        previousSecretExpireTime = previousExpireTime.isAfter(now) ? previousExpireTime : now;
        previousSecretLastUseTime = lastUseTime;
        prefix = next.prefix();
        secretHash = next.hash();
        rotateTime = now;
    }

    /** Whether a previous secret is still accepted at {@code now}. */
    public boolean hasPreviousSecretAt(Instant now) {
        return previousSecretExpireTime != null && now.isBefore(previousSecretExpireTime);
    }

    /** Which of this key's secrets {@code secret} is, if any (compared in constant time). */
    public Match match(ApiKeySecret secret) {
        if (secret.prefix().equals(prefix) && secret.matches(secretHash)) {
            return Match.CURRENT;
        }
        if (previousPrefix != null && secret.prefix().equals(previousPrefix) && secret.matches(previousSecretHash)) {
            return Match.PREVIOUS;
        }
        return Match.NONE;
    }

    public enum Match {
        CURRENT, PREVIOUS, NONE
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

    public Instant lastUseTime() {
        return lastUseTime;
    }

    public Instant rotateTime() {
        return rotateTime;
    }

    /** Null when not in a rotation overlap (or never rotated). */
    public String previousPrefix() {
        return previousPrefix;
    }

    public Instant previousSecretExpireTime() {
        return previousSecretExpireTime;
    }

    public Instant previousSecretLastUseTime() {
        return previousSecretLastUseTime;
    }
}
