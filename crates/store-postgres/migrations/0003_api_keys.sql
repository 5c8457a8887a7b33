-- API keys for networks and partners. Only the SHA-256 of a key is kept.
CREATE TABLE api_keys (
    id         UUID PRIMARY KEY,
    prefix     TEXT NOT NULL,
    key_hash   TEXT NOT NULL UNIQUE,
    scopes     TEXT NOT NULL,
    partner_id TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ
);
