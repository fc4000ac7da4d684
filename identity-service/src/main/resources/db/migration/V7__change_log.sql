-- Every officer/admin write, in the same transaction as the write (a rolled-back write leaves no
-- row); the shape of entitlement-service's change_log. before/after are the resource as proto3
-- JSON (API key secrets are never part of a resource); NULL for a create's before.
CREATE TABLE change_log (
    id          bigint        GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    change_time timestamptz   NOT NULL,
    actor       varchar(256)  NOT NULL,
    resource    varchar(300)  NOT NULL,
    action      varchar(32)   NOT NULL,
    before_json text,
    after_json  text,
    reason      varchar(2000) NOT NULL DEFAULT ''
);
CREATE INDEX change_log_actor ON change_log (actor, id);
CREATE INDEX change_log_resource ON change_log (resource varchar_pattern_ops, id);
CREATE INDEX change_log_time ON change_log (change_time, id);
