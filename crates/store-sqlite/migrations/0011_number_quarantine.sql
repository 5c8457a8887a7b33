-- Numbers of recycled lines rest here until they may be given to someone else.
CREATE TABLE number_quarantine (
    msisdn  TEXT NOT NULL,
    line_id TEXT NOT NULL,
    until   INTEGER NOT NULL,
    PRIMARY KEY (msisdn, line_id)
);
