-- Online charging: open reservations (so a restart finds what is held), usage
-- per line and hour, and the ids of usage events already applied.

CREATE TABLE reservations (
    line_id     UUID NOT NULL REFERENCES lines(id),
    session_id  TEXT NOT NULL,
    rating_group BIGINT NOT NULL,
    service     TEXT NOT NULL,
    country     TEXT NOT NULL,
    parts       TEXT NOT NULL,              -- JSON [[bundle id, units], …]
    granted     BIGINT NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (line_id, session_id, rating_group)
);

CREATE TABLE usage_hours (
    line_id UUID NOT NULL REFERENCES lines(id),
    service TEXT NOT NULL,
    hour    TIMESTAMPTZ NOT NULL,           -- start of the UTC hour
    units   BIGINT NOT NULL,
    PRIMARY KEY (line_id, service, hour)
);

CREATE TABLE usage_events (
    event_id    TEXT PRIMARY KEY,
    line_id     UUID NOT NULL,
    received_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX lines_imsi_lookup ON profiles(imsi);
