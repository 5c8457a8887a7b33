-- The ledger is read per line (the customer's history, in time order) and in full (the
-- ledger check); never by its id. As an ordinary table with a text primary key and the
-- per-line index, every entry was three B-tree inserts (the rows, the id's index, the
-- line index); clustered on (line, time, id) it is one. Same columns, same data.
CREATE TABLE ledger_clustered (
    id        TEXT NOT NULL,
    line_id   TEXT NOT NULL REFERENCES lines(id),
    bundle_id TEXT NOT NULL REFERENCES bundles(id),
    order_id  TEXT,
    kind      TEXT NOT NULL,
    service   TEXT NOT NULL CHECK (service IN ('data', 'voice', 'sms')),
    units     INTEGER NOT NULL,
    at        INTEGER NOT NULL,
    PRIMARY KEY (line_id, at, id)
) WITHOUT ROWID;
INSERT INTO ledger_clustered SELECT id, line_id, bundle_id, order_id, kind, service, units, at FROM ledger;
DROP TABLE ledger;
ALTER TABLE ledger_clustered RENAME TO ledger;
