-- Emails of notifications: one row per notification once a worker claims it.
CREATE TABLE email_deliveries (
    notification_id UUID PRIMARY KEY REFERENCES notifications(id),
    state           TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'retry', 'failed')),
    attempts        BIGINT NOT NULL,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    last_error      TEXT,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX email_deliveries_due ON email_deliveries(state, next_attempt_at);
