-- Propagation: which routers exist, which replica sees them, and which revision each applied
-- when. Shared by every replica, so any of them can answer "is revision N live everywhere?".

-- One row per router, refreshed by the replica holding its WatchPolicy stream (every presence
-- interval) and by each acknowledgement. last_seen is the database clock.
CREATE TABLE router_presence (
    router_id varchar(200) PRIMARY KEY,
    replica   varchar(200) NOT NULL,
    last_seen timestamptz  NOT NULL
);

-- One row per router and revision it acknowledged. apply_time is the router's own clock: when
-- it started deciding with that revision. Routers skip revisions that were superseded before
-- they arrived, so "revision N applied since" is the first row at or above N.
CREATE TABLE router_acknowledgement (
    router_id        varchar(200) NOT NULL,
    revision         bigint       NOT NULL CHECK (revision > 0),
    apply_time       timestamptz  NOT NULL,
    replica          varchar(200) NOT NULL,
    acknowledge_time timestamptz  NOT NULL,
    PRIMARY KEY (router_id, revision)
);
