-- identity-service schema. Flyway runs this in the service's own schema (clearance.db.schema),
-- so no table name is schema-qualified.

CREATE TABLE organisation (
    id           varchar(63)  PRIMARY KEY,
    display_name varchar(200) NOT NULL,
    country      char(2)      NOT NULL,
    create_time  timestamptz  NOT NULL
);

CREATE TABLE person (
    id                    varchar(63)  PRIMARY KEY,
    display_name          varchar(200) NOT NULL,
    organisation_id       varchar(63)  REFERENCES organisation (id),
    -- Keycloak user id (token "sub").
    subject               varchar(255) UNIQUE,
    -- Derived from the verifications; written only by the status derivation.
    us_person_status      varchar(40)  NOT NULL DEFAULT 'UNKNOWN',
    controlling_country   char(2),
    assurance_level       varchar(10),
    verify_time           timestamptz,
    expire_time           timestamptz,
    deciding_verification varchar(36),
    -- Monotonic; bumped on every change that can alter a decision.
    identity_revision     bigint       NOT NULL,
    create_time           timestamptz  NOT NULL,
    update_time           timestamptz  NOT NULL
);

CREATE INDEX person_organisation_idx ON person (organisation_id);

CREATE TABLE verification (
    id                 varchar(36)  PRIMARY KEY,
    person_id          varchar(63)  NOT NULL REFERENCES person (id),
    immigration_status varchar(40)  NOT NULL,
    assurance_level    varchar(10)  NOT NULL,
    verify_time        timestamptz  NOT NULL,
    expire_time        timestamptz,
    evidence_reference varchar(500),
    create_time        timestamptz  NOT NULL,
    CHECK (expire_time IS NULL OR expire_time > verify_time)
);

CREATE INDEX verification_person_idx ON verification (person_id);

ALTER TABLE person
    ADD CONSTRAINT person_deciding_verification_fk
    FOREIGN KEY (deciding_verification) REFERENCES verification (id);

CREATE TABLE citizenship (
    verification_id varchar(36) NOT NULL REFERENCES verification (id),
    -- Order as listed in the evidence; breaks ties between citizenships held from birth.
    position        integer     NOT NULL,
    country         char(2)     NOT NULL,
    -- NULL: held from birth.
    acquire_date    date,
    PRIMARY KEY (verification_id, position)
);

CREATE TABLE api_key (
    id                    varchar(63)  PRIMARY KEY,
    owner_person_id       varchar(63)  REFERENCES person (id),
    owner_organisation_id varchar(63)  REFERENCES organisation (id),
    display_name          varchar(200) NOT NULL,
    prefix                char(8)      NOT NULL UNIQUE,
    -- Lower-case hex SHA-256 of the full secret; the secret itself is never stored.
    secret_hash           char(64)     NOT NULL,
    create_time           timestamptz  NOT NULL,
    expire_time           timestamptz,
    revoke_time           timestamptz,
    CHECK ((owner_person_id IS NULL) <> (owner_organisation_id IS NULL))
);
