-- Decision history: per hour, how many Generate/StreamGenerate requests each caller made for each
-- model (canonical requested version), with or without fallback, and what the router answered.
-- Routers count in memory and send batches (RecordDecisionCounts); the impact preview replays the
-- last 24 hours against the policy with and without a directive. Kept for a retention (default 48 h).

-- One row per batch a router sent: a retried batch (same router and batch id) is added once.
-- since_time (the router's clock) is the start of the interval the batch covers: history exists
-- from the earliest one. dropped_requests: decided but not counted (the router's key bound).
CREATE TABLE decision_count_batch (
    router_id        varchar(200) NOT NULL,
    batch_id         varchar(100) NOT NULL,
    since_time       timestamptz  NOT NULL,
    received_time    timestamptz  NOT NULL,
    counts           integer      NOT NULL CHECK (counts >= 0),
    dropped_requests bigint       NOT NULL CHECK (dropped_requests >= 0),
    PRIMARY KEY (router_id, batch_id)
);
CREATE INDEX decision_count_batch_received ON decision_count_batch (received_time);

CREATE TABLE decision_count (
    hour_start       timestamptz  NOT NULL,
    router_id        varchar(200) NOT NULL,
    caller_kind      varchar(20)  NOT NULL CHECK (caller_kind IN ('PERSON', 'ORGANISATION')),
    caller           varchar(200) NOT NULL,
    model            varchar(200) NOT NULL,
    fallback_allowed boolean      NOT NULL,
    outcome          varchar(20)  NOT NULL CHECK (outcome IN ('ALLOW', 'ALLOW_FALLBACK', 'DENY')),
    count            bigint       NOT NULL CHECK (count > 0),
    PRIMARY KEY (hour_start, router_id, caller, model, fallback_allowed, outcome)
);
