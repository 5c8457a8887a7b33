-- Partner webhooks of notifications, like email_deliveries: one row per notification once claimed.
CREATE TABLE webhook_deliveries (
    notification_id TEXT PRIMARY KEY REFERENCES notifications(id),
    state           TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'retry', 'failed')),
    attempts        INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(state, next_attempt_at);
