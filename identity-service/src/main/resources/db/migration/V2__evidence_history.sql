-- Evidence with document classes, method, vendor and a kept history of state changes.
-- Evidence is never deleted: revocation and expiry are state changes with actor, time and reason.

ALTER TABLE verification
    -- NULL: a whole-person statement (everything recorded before this migration is one).
    ADD COLUMN document_class   varchar(60),
    ADD COLUMN issuing_country  char(2),
    ADD COLUMN method           varchar(10)  NOT NULL DEFAULT 'OFFICER',
    ADD COLUMN vendor           varchar(20),
    ADD COLUMN vendor_report_id varchar(200),
    ADD COLUMN state            varchar(10)  NOT NULL DEFAULT 'VERIFIED',
    ADD CONSTRAINT verification_method_check CHECK (method IN ('VENDOR', 'OFFICER')),
    ADD CONSTRAINT verification_state_check CHECK (state IN ('VERIFIED', 'REJECTED', 'EXPIRED', 'REVOKED')),
    ADD CONSTRAINT verification_vendor_check CHECK ((method = 'VENDOR') = (vendor IS NOT NULL)),
    -- Only rejected evidence may lack an end: anything that counts must expire (the API has
    -- always required expire_time, so every earlier row has one).
    ADD CONSTRAINT verification_expiry_check CHECK (state = 'REJECTED' OR expire_time IS NOT NULL);

ALTER TABLE verification ALTER COLUMN method DROP DEFAULT;
ALTER TABLE verification ALTER COLUMN state DROP DEFAULT;

-- One piece of evidence per vendor report: a second event about the same report changes its state.
CREATE UNIQUE INDEX verification_vendor_report_idx ON verification (vendor, vendor_report_id)
    WHERE vendor IS NOT NULL;
CREATE INDEX verification_person_create_idx ON verification (person_id, create_time DESC, id DESC);

CREATE TABLE verification_state_change (
    verification_id varchar(36)  NOT NULL REFERENCES verification (id),
    position        integer      NOT NULL,
    state           varchar(10)  NOT NULL,
    actor           varchar(200) NOT NULL,
    reason          varchar(1000) NOT NULL,
    change_time     timestamptz  NOT NULL,
    PRIMARY KEY (verification_id, position)
);

-- Evidence recorded before the history existed: its recording is the first change.
INSERT INTO verification_state_change (verification_id, position, state, actor, reason, change_time)
SELECT id, 0, 'VERIFIED', 'unattributed', 'recorded before evidence history was kept', create_time
FROM verification;

-- The person's derived citizenships are now merged from several pieces of evidence, so they are
-- stored with the person instead of being read from the deciding verification.
ALTER TABLE person
    ADD COLUMN citizenships          varchar(1000) NOT NULL DEFAULT '',
    ADD COLUMN status_recompute_time timestamptz;

UPDATE person p
SET citizenships = coalesce((
        SELECT string_agg(c.country || coalesce(':' || c.acquire_date::text, ''), ';' ORDER BY c.position)
        FROM citizenship c WHERE c.verification_id = p.deciding_verification), ''),
    status_recompute_time = p.expire_time;
