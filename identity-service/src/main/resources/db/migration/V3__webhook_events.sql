-- Every signed vendor webhook delivery, once: the unique (vendor, event_id) makes ingestion
-- idempotent (a redelivery or replay finds its row and writes nothing). No payload is kept:
-- the evidence it produced is in verification, the rest is personal data we do not need.
CREATE TABLE webhook_event (
    id           varchar(36)   PRIMARY KEY,
    vendor       varchar(20)   NOT NULL,
    event_id     varchar(300)  NOT NULL,
    event_type   varchar(100)  NOT NULL,
    receive_time timestamptz   NOT NULL,
    outcome      varchar(10)   NOT NULL CHECK (outcome IN ('PROCESSED', 'IGNORED')),
    -- What was done with each result, or why nothing was.
    detail       varchar(4000) NOT NULL,
    CONSTRAINT webhook_event_vendor_event_key UNIQUE (vendor, event_id)
);
