-- Names the operator gives countries in some languages instead of CLDR's
-- (the catalogue file's [[country]] sections). A country without a row is
-- named by CLDR; applying a catalogue replaces every row.
CREATE TABLE country_names (
    code       TEXT PRIMARY KEY,
    names      TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
