-- Single-use links (password reset, email verification); only their hash is kept.
CREATE TABLE account_tokens (
    token_hash TEXT PRIMARY KEY,
    account_id UUID NOT NULL REFERENCES accounts(id),
    purpose    TEXT NOT NULL CHECK (purpose IN ('password_reset', 'email_verify')),
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ
);
ALTER TABLE accounts ADD COLUMN email_verified_at TIMESTAMPTZ;
