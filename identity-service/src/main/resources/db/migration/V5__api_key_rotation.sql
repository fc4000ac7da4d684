-- API keys: last use (recorded at most once a minute) and rotation with an overlap during which
-- the previous secret is still accepted.
ALTER TABLE api_key
    ADD COLUMN last_use_time                 timestamptz,
    ADD COLUMN rotate_time                   timestamptz,
    ADD COLUMN previous_prefix               char(8),
    -- SHA-256 of the previous secret; like the current one, the secret itself is never stored.
    ADD COLUMN previous_secret_hash          char(64),
    ADD COLUMN previous_secret_expire_time   timestamptz,
    ADD COLUMN previous_secret_last_use_time timestamptz,
    ADD CONSTRAINT api_key_previous_secret_check CHECK (
        (previous_prefix IS NULL) = (previous_secret_hash IS NULL)
        AND (previous_prefix IS NULL) = (previous_secret_expire_time IS NULL));

CREATE INDEX api_key_previous_prefix_idx ON api_key (previous_prefix) WHERE previous_prefix IS NOT NULL;
