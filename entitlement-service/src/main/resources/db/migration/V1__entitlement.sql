-- entitlement-service schema. Flyway runs this with search_path set to the schema named by
-- clearance.db.schema (quarkus.flyway.default-schema), so names are unqualified here.

-- The one policy revision. Every write bumps it in its own transaction, first, which also
-- serialises writers on this row: a writer's existence checks cannot race another writer.
CREATE TABLE policy_revision (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    revision  bigint  NOT NULL CHECK (revision > 0)
);
-- Starts at 1 so that revision 0 (the protobuf default) never names a real snapshot.
INSERT INTO policy_revision (singleton, revision) VALUES (true, 1);

-- Catalogue ---------------------------------------------------------------------------------

CREATE TABLE model_family (
    id           varchar(63)  PRIMARY KEY,
    display_name varchar(200) NOT NULL DEFAULT '',
    controlled   boolean      NOT NULL DEFAULT false,
    create_time  timestamptz  NOT NULL
);

-- Version ids are unique across the whole catalogue (they are what callers ask for).
CREATE TABLE model_version (
    id          varchar(63) PRIMARY KEY,
    family_id   varchar(63) NOT NULL REFERENCES model_family (id),
    ordinal     integer     NOT NULL CHECK (ordinal > 0),
    status      varchar(16) NOT NULL CHECK (status IN ('PREVIEW', 'GA', 'DEPRECATED', 'DISABLED')),
    create_time timestamptz NOT NULL,
    UNIQUE (family_id, ordinal)
);

CREATE TABLE model_alias (
    id             varchar(63) PRIMARY KEY,
    target_version varchar(63) NOT NULL REFERENCES model_version (id),
    create_time    timestamptz NOT NULL
);

-- Entitlements ------------------------------------------------------------------------------

CREATE TABLE tier (
    id           varchar(63)  PRIMARY KEY,
    display_name varchar(200) NOT NULL DEFAULT '',
    create_time  timestamptz  NOT NULL
);

CREATE TABLE tier_model_pattern (
    tier_id  varchar(63) NOT NULL REFERENCES tier (id),
    position integer     NOT NULL,
    pattern  varchar(64) NOT NULL,
    PRIMARY KEY (tier_id, position)
);

CREATE TABLE programme (
    id          varchar(63)   PRIMARY KEY,
    description varchar(2000) NOT NULL DEFAULT '',
    create_time timestamptz   NOT NULL
);

CREATE TABLE programme_model_pattern (
    programme_id varchar(63) NOT NULL REFERENCES programme (id),
    position     integer     NOT NULL,
    pattern      varchar(64) NOT NULL,
    PRIMARY KEY (programme_id, position)
);

CREATE TABLE programme_membership (
    id           varchar(63)  PRIMARY KEY,
    programme_id varchar(63)  NOT NULL REFERENCES programme (id),
    -- persons/{person} or organisations/{organisation}; those live in identity-service.
    member       varchar(200) NOT NULL,
    create_time  timestamptz  NOT NULL,
    UNIQUE (programme_id, member)
);

CREATE TABLE subscription (
    id           varchar(63)  PRIMARY KEY,
    organisation varchar(200) NOT NULL UNIQUE,
    tier_id      varchar(63)  NOT NULL REFERENCES tier (id),
    create_time  timestamptz  NOT NULL
);

-- "grant" is an SQL keyword; access_grant avoids quoting it everywhere.
CREATE TABLE access_grant (
    id          varchar(63)   PRIMARY KEY,
    grantee     varchar(200)  NOT NULL,
    start_time  timestamptz,
    end_time    timestamptz,
    reason      varchar(2000) NOT NULL DEFAULT '',
    create_time timestamptz   NOT NULL,
    CHECK (start_time IS NULL OR end_time IS NULL OR start_time < end_time)
);

CREATE TABLE grant_model_pattern (
    grant_id varchar(63) NOT NULL REFERENCES access_grant (id),
    position integer     NOT NULL,
    pattern  varchar(64) NOT NULL,
    PRIMARY KEY (grant_id, position)
);

CREATE TABLE licence (
    id          varchar(63)  PRIMARY KEY,
    kind        varchar(32)  NOT NULL CHECK (kind IN ('LICENCE', 'LICENCE_EXCEPTION')),
    reference   varchar(200) NOT NULL,
    holder      varchar(200),
    start_time  timestamptz,
    end_time    timestamptz,
    create_time timestamptz  NOT NULL,
    CHECK (start_time IS NULL OR end_time IS NULL OR start_time < end_time)
);

CREATE TABLE licence_named_person (
    licence_id varchar(63)  NOT NULL REFERENCES licence (id),
    position   integer      NOT NULL,
    person     varchar(200) NOT NULL,
    PRIMARY KEY (licence_id, position)
);

CREATE TABLE licence_model_pattern (
    licence_id varchar(63) NOT NULL REFERENCES licence (id),
    position   integer     NOT NULL,
    pattern    varchar(64) NOT NULL,
    PRIMARY KEY (licence_id, position)
);

-- Directives --------------------------------------------------------------------------------

CREATE TABLE directive (
    id                           varchar(63)   PRIMARY KEY,
    issuer                       varchar(500)  NOT NULL,
    reference                    varchar(500)  NOT NULL DEFAULT '',
    citation                     varchar(2000) NOT NULL,
    receive_time                 timestamptz   NOT NULL,
    effective_time               timestamptz,
    expire_time                  timestamptz,
    subject_kind                 varchar(32)   NOT NULL
        CHECK (subject_kind IN ('FOREIGN_PERSONS', 'NON_CITIZENS', 'NATIONALS_OF')),
    citizenship_mode             varchar(16)   NOT NULL CHECK (citizenship_mode IN ('MOST_RECENT', 'ANY')),
    -- NULL: no minimum.
    minimum_assurance            varchar(8)    CHECK (minimum_assurance IN ('IAL1', 'IAL2', 'IAL3')),
    -- NULL: no limit.
    maximum_evidence_age_seconds bigint        CHECK (maximum_evidence_age_seconds > 0),
    state                        varchar(16)   NOT NULL
        CHECK (state IN ('DRAFT', 'SHADOW', 'ENFORCED', 'SUSPENDED', 'REVOKED')),
    create_time                  timestamptz   NOT NULL,
    update_time                  timestamptz   NOT NULL,
    CHECK (effective_time IS NULL OR expire_time IS NULL OR effective_time < expire_time)
);

CREATE TABLE directive_scope (
    directive_id varchar(63) NOT NULL REFERENCES directive (id),
    position     integer     NOT NULL,
    family_id    varchar(63) NOT NULL REFERENCES model_family (id),
    -- NULL covers the whole family.
    from_version varchar(63) REFERENCES model_version (id),
    PRIMARY KEY (directive_id, position),
    UNIQUE (directive_id, family_id)
);

-- Countries and EAR country groups a NATIONALS_OF directive names, as written (groups are
-- expanded only when a snapshot is compiled, with the table of that moment).
CREATE TABLE directive_subject (
    directive_id varchar(63) NOT NULL REFERENCES directive (id),
    position     integer     NOT NULL,
    kind         varchar(16) NOT NULL CHECK (kind IN ('COUNTRY', 'COUNTRY_GROUP')),
    code         varchar(16) NOT NULL,
    PRIMARY KEY (directive_id, position)
);

CREATE TABLE directive_carve_out (
    directive_id varchar(63)  NOT NULL REFERENCES directive (id),
    position     integer      NOT NULL,
    kind         varchar(32)  NOT NULL CHECK (kind IN ('LICENSED_PERSONS', 'PROGRAMME', 'ORGANISATION')),
    -- programmes/{programme} or organisations/{organisation}; NULL for LICENSED_PERSONS.
    target       varchar(200),
    PRIMARY KEY (directive_id, position)
);

-- Audit trail of every lifecycle change, written in the same transaction as the change.
CREATE TABLE directive_transition (
    id              bigint        GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    directive_id    varchar(63)   NOT NULL REFERENCES directive (id),
    -- NULL when the directive was created.
    from_state      varchar(16),
    to_state        varchar(16)   NOT NULL,
    actor           varchar(256)  NOT NULL,
    transition_time timestamptz   NOT NULL,
    reason          varchar(2000) NOT NULL DEFAULT '',
    policy_revision bigint        NOT NULL
);
CREATE INDEX directive_transition_directive ON directive_transition (directive_id, id);
