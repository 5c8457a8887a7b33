-- Emails of notifications: one row per notification once a worker claims it.
CREATE TABLE email_deliveries (
    notification_id TEXT PRIMARY KEY REFERENCES notifications(id),
    state           TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'retry', 'failed')),
    attempts        INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX email_deliveries_due ON email_deliveries(state, next_attempt_at);
