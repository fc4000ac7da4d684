-- Denied-party screening: matches awaiting or after review, and each subject's status.

ALTER TABLE person ADD COLUMN screening_status varchar(20) NOT NULL DEFAULT 'CLEAR'
    CHECK (screening_status IN ('CLEAR', 'POTENTIAL_MATCH', 'CONFIRMED_MATCH'));
ALTER TABLE organisation ADD COLUMN screening_status varchar(20) NOT NULL DEFAULT 'CLEAR'
    CHECK (screening_status IN ('CLEAR', 'POTENTIAL_MATCH', 'CONFIRMED_MATCH'));

CREATE TABLE screening_match (
    id                varchar(36)   PRIMARY KEY,
    -- Insertion order: the review queue pages oldest first.
    seq               bigint        GENERATED ALWAYS AS IDENTITY UNIQUE,
    subject_type      varchar(12)   NOT NULL CHECK (subject_type IN ('PERSON', 'ORGANISATION')),
    subject_id        varchar(63)   NOT NULL,
    -- The subject's name as screened; a renamed subject is screened afresh.
    subject_name      varchar(200)  NOT NULL,
    list_entry_id     varchar(200)  NOT NULL,
    -- Hash of the entry's source, names and countries: a changed entry is reviewed afresh.
    entry_fingerprint varchar(32)   NOT NULL,
    list_source       varchar(300)  NOT NULL,
    listed_name       varchar(1000) NOT NULL,
    listed_countries  varchar(1000) NOT NULL,
    score             double precision NOT NULL,
    strong            boolean       NOT NULL,
    state             varchar(10)   NOT NULL CHECK (state IN ('OPEN', 'CONFIRMED', 'CLEARED', 'LAPSED')),
    list_version      varchar(64)   NOT NULL,
    create_time       timestamptz   NOT NULL,
    resolved_by       varchar(200),
    resolution_reason varchar(1000),
    resolve_time      timestamptz,
    CONSTRAINT screening_match_key UNIQUE (subject_type, subject_id, list_entry_id, entry_fingerprint, subject_name)
);

CREATE INDEX screening_match_subject_idx ON screening_match (subject_type, subject_id);
CREATE INDEX screening_match_state_idx ON screening_match (state, seq);
