-- Partner webhooks of notifications, like email_deliveries: one row per notification once claimed.
CREATE TABLE webhook_deliveries (
    notification_id UUID PRIMARY KEY REFERENCES notifications(id),
    state           TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'retry', 'failed')),
    attempts        BIGINT NOT NULL,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    last_error      TEXT,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(state, next_attempt_at);
