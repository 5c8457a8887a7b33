-- Single-use links (password reset, email verification); only their hash is kept.
CREATE TABLE account_tokens (
    token_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    purpose    TEXT NOT NULL CHECK (purpose IN ('password_reset', 'email_verify')),
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
ALTER TABLE accounts ADD COLUMN email_verified_at INTEGER;
