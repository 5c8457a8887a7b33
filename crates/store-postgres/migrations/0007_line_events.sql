-- An audit trail of what happened to a line (moves to a new phone, …).
CREATE TABLE line_events (
    id      UUID PRIMARY KEY,
    line_id UUID NOT NULL REFERENCES lines(id),
    kind    TEXT NOT NULL,
    data    TEXT NOT NULL,
    at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX line_events_line ON line_events(line_id, at);
