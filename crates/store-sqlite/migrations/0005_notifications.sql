-- Notifications: the in-app inbox, and exactly-once warnings. `dedupe_key`
-- names the crossing (e.g. "data_threshold:<bundle>:75"): a second node, a
-- second worker or a restart trying to send the same warning finds it taken.
CREATE TABLE notifications (
    id         TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    line_id    TEXT,
    kind       TEXT NOT NULL,
    data       TEXT NOT NULL,
    dedupe_key TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    read_at    INTEGER
);
CREATE INDEX notifications_account ON notifications(account_id, id);
