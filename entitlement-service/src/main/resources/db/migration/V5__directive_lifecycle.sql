-- Issue 4: two-person enforcement, emergency enforcement with confirmation, suspension,
-- licence carve-outs by name, and the country-group table a directive was evaluated against.

-- An enforcement asked for by one officer and waiting for a second (the state is unchanged).
ALTER TABLE directive ADD COLUMN pending_requester    varchar(256);
-- The token subject of the requester: the two-person rule compares subjects, not display names.
ALTER TABLE directive ADD COLUMN pending_requester_subject varchar(256);
ALTER TABLE directive ADD COLUMN pending_request_time timestamptz;
ALTER TABLE directive ADD COLUMN pending_reason       varchar(2000);
-- The last emergency enforcement by one officer, and its confirmation by a second.
ALTER TABLE directive ADD COLUMN emergency_enforcer         varchar(256);
ALTER TABLE directive ADD COLUMN emergency_enforcer_subject varchar(256);
ALTER TABLE directive ADD COLUMN emergency_enforce_time     timestamptz;
ALTER TABLE directive ADD COLUMN emergency_reason           varchar(2000);
ALTER TABLE directive ADD COLUMN emergency_confirm_deadline timestamptz;
ALTER TABLE directive ADD COLUMN emergency_confirmer        varchar(256);
ALTER TABLE directive ADD COLUMN emergency_confirm_time     timestamptz;
-- Issue date of the EAR country-group table the directive was last evaluated against.
ALTER TABLE directive ADD COLUMN country_groups_issue_date  varchar(10);
-- Serves ListDirectives(emergency_overdue_only).
CREATE INDEX directive_emergency_unconfirmed ON directive (emergency_confirm_deadline)
    WHERE emergency_enforcer IS NOT NULL AND emergency_confirmer IS NULL;

-- What each recorded step did (NULL on rows written before this migration).
ALTER TABLE directive_transition ADD COLUMN action varchar(32);

-- A carve-out for the persons one named licence covers.
ALTER TABLE directive_carve_out DROP CONSTRAINT directive_carve_out_kind_check;
ALTER TABLE directive_carve_out ADD CONSTRAINT directive_carve_out_kind_check
    CHECK (kind IN ('LICENSED_PERSONS', 'PROGRAMME', 'ORGANISATION', 'LICENCE'));
