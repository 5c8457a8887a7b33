-- An audit trail of what happened to a line (moves to a new phone, …).
CREATE TABLE line_events (
    id      TEXT PRIMARY KEY,
    line_id TEXT NOT NULL REFERENCES lines(id),
    kind    TEXT NOT NULL,
    data    TEXT NOT NULL,
    at      INTEGER NOT NULL
);
CREATE INDEX line_events_line ON line_events(line_id, at);
