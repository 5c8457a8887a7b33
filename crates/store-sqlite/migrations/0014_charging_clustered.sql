-- The charging writer touches a reservation and a usage counter on almost every CCR.
-- As ordinary tables with a text primary key each was two B-trees (the rows and the
-- key's index), so every write dirtied two pages; clustered on their key (WITHOUT
-- ROWID) each is one B-tree and one page. Same columns, same keys, same data.
CREATE TABLE reservations_clustered (
    line_id     TEXT NOT NULL REFERENCES lines(id),
    session_id  TEXT NOT NULL,
    rating_group INTEGER NOT NULL,
    service     TEXT NOT NULL,
    country     TEXT NOT NULL,
    parts       TEXT NOT NULL,              -- JSON [[bundle id, units], …]
    granted     INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    PRIMARY KEY (line_id, session_id, rating_group)
) WITHOUT ROWID;
INSERT INTO reservations_clustered
    SELECT line_id, session_id, rating_group, service, country, parts, granted, expires_at FROM reservations;
DROP TABLE reservations;
ALTER TABLE reservations_clustered RENAME TO reservations;

CREATE TABLE usage_hours_clustered (
    line_id TEXT NOT NULL REFERENCES lines(id),
    service TEXT NOT NULL,
    hour    INTEGER NOT NULL,               -- start of the UTC hour, microseconds
    units   INTEGER NOT NULL,
    PRIMARY KEY (line_id, service, hour)
) WITHOUT ROWID;
INSERT INTO usage_hours_clustered SELECT line_id, service, hour, units FROM usage_hours;
DROP TABLE usage_hours;
ALTER TABLE usage_hours_clustered RENAME TO usage_hours;
CREATE INDEX usage_hours_hour ON usage_hours(hour);
