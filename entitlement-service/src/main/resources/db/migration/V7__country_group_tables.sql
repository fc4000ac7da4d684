-- Issue 4 item 4: dated EAR country-group tables loaded by a compliance operator. The table
-- shipped with the service is not stored; of it and these, the one with the newest effective
-- date that is not in the future is in force (a tie goes to the loaded one).
CREATE TABLE country_group_table (
    -- The table's ecfr_issue_date; in force from 00:00 UTC that day.
    effective_date      date          PRIMARY KEY,
    -- The table as loaded (JSON, the shape of the shipped ear-country-groups.json).
    document            text          NOT NULL,
    loaded_by           varchar(256)  NOT NULL,
    load_time           timestamptz   NOT NULL,
    reason              varchar(2000) NOT NULL DEFAULT '',
    policy_revision     bigint        NOT NULL,
    -- The revision that first published a snapshot after its effective date: the load's own
    -- when loaded on or after that date, else the activation write made on that date. NULL
    -- while it waits for its date.
    activation_revision bigint
);
