-- Keycloak sync: organisations linked to Keycloak Organizations, and a record of every sync run
-- (what it saw, what it changed, why it failed).
ALTER TABLE organisation
    ADD COLUMN keycloak_id varchar(64) UNIQUE;

CREATE TABLE keycloak_sync_run (
    id                 bigserial    PRIMARY KEY,
    -- PERIODIC, ON_DEMAND or STARTUP.
    trigger            varchar(20)  NOT NULL,
    start_time         timestamptz  NOT NULL,
    end_time           timestamptz  NOT NULL,
    succeeded          boolean      NOT NULL,
    -- Why it failed (never credentials); null when it succeeded.
    failure            varchar(1000),
    users_seen         integer      NOT NULL,
    organisations_seen integer      NOT NULL,
    -- One line per change ("CREATED persons/alice: ..."), then one per problem ("PROBLEM ...").
    changes            text         NOT NULL
);

CREATE INDEX keycloak_sync_run_start_idx ON keycloak_sync_run (start_time);
