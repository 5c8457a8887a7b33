-- The staff console: a second factor (TOTP) and sessions for staff, the audit trail
-- of what staff did, customers' support tickets, and indexes for the console's
-- lists (orders, tickets, audit) and its dashboard (sales per day, data per day).

ALTER TABLE staff ADD COLUMN totp_secret TEXT;                             -- base32; NULL: not enrolled
ALTER TABLE staff ADD COLUMN totp_confirmed BOOLEAN NOT NULL DEFAULT FALSE; -- a first code confirmed it
ALTER TABLE staff ADD COLUMN totp_last_step BIGINT;                        -- codes of this step or older are refused
ALTER TABLE staff ADD COLUMN disabled_at TIMESTAMPTZ;

CREATE TABLE staff_sessions (
    token_hash TEXT PRIMARY KEY,
    staff_id   UUID NOT NULL REFERENCES staff(id),
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ,
    mfa_ok     BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX staff_sessions_staff ON staff_sessions(staff_id);

-- Kept for good; staff_id is NULL for the command line, staff_email keeps who it was.
CREATE TABLE audit_log (
    id          UUID PRIMARY KEY,
    staff_id    UUID,
    staff_email TEXT NOT NULL,
    action      TEXT NOT NULL,
    target      TEXT NOT NULL,
    detail      TEXT NOT NULL,                  -- JSON object
    at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at DESC, id DESC);

CREATE TABLE tickets (
    id         UUID PRIMARY KEY,
    account_id UUID NOT NULL REFERENCES accounts(id),
    subject    TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('open', 'answered', 'closed')),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX tickets_account ON tickets(account_id, updated_at);
CREATE INDEX tickets_status ON tickets(status, updated_at);
CREATE INDEX tickets_updated ON tickets(updated_at);

CREATE TABLE ticket_messages (
    id         UUID PRIMARY KEY,
    ticket_id  UUID NOT NULL REFERENCES tickets(id),
    author     TEXT NOT NULL CHECK (author IN ('customer', 'staff')),
    staff_id   UUID REFERENCES staff(id),
    body       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX ticket_messages_ticket ON ticket_messages(ticket_id, created_at);

-- The console's order list (newest first, optionally by status) and sales per day of payment.
CREATE INDEX orders_created ON orders(created_at, id);
CREATE INDEX orders_status_created ON orders(status, created_at);
CREATE INDEX orders_paid ON orders(paid_at) WHERE paid_at IS NOT NULL;
-- Data used per day across all lines. A usage row is inserted once per line, service and hour
-- (later charging in the hour only adds to its units), so this index costs the hot path little.
CREATE INDEX usage_hours_hour ON usage_hours(hour);
-- Lines per state on the dashboard.
CREATE INDEX lines_state ON lines(state);
