-- Etags: a version number per admin-editable row, bumped by every update. Writers are
-- serialised on the policy_revision row, so a compare-then-bump inside the write transaction
-- cannot race: of two updates sent with the same etag, the second sees the bumped number.
ALTER TABLE model_family         ADD COLUMN row_version bigint NOT NULL DEFAULT 1;
ALTER TABLE model_version        ADD COLUMN row_version bigint NOT NULL DEFAULT 1;
ALTER TABLE model_alias          ADD COLUMN row_version bigint NOT NULL DEFAULT 1;
ALTER TABLE tier                 ADD COLUMN row_version bigint NOT NULL DEFAULT 1;
ALTER TABLE programme            ADD COLUMN row_version bigint NOT NULL DEFAULT 1;
ALTER TABLE programme_membership ADD COLUMN row_version bigint NOT NULL DEFAULT 1;
ALTER TABLE subscription         ADD COLUMN row_version bigint NOT NULL DEFAULT 1;
ALTER TABLE access_grant         ADD COLUMN row_version bigint NOT NULL DEFAULT 1;
ALTER TABLE licence              ADD COLUMN row_version bigint NOT NULL DEFAULT 1;

-- Every admin write, in the same transaction as the write (a rolled-back write leaves no row).
-- before/after are the resource as proto3 JSON; NULL for a create's before and a delete's after.
CREATE TABLE change_log (
    id              bigint        GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    change_time     timestamptz   NOT NULL,
    actor           varchar(256)  NOT NULL,
    resource        varchar(300)  NOT NULL,
    action          varchar(32)   NOT NULL,
    before_json     text,
    after_json      text,
    reason          varchar(2000) NOT NULL DEFAULT '',
    policy_revision bigint        NOT NULL
);
CREATE INDEX change_log_actor ON change_log (actor, id);
-- varchar_pattern_ops: resource prefix filters (LIKE 'grants/%') use the index.
CREATE INDEX change_log_resource ON change_log (resource varchar_pattern_ops, id);
CREATE INDEX change_log_time ON change_log (change_time, id);
