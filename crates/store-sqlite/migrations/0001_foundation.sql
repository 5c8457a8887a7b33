-- keepsim foundation: accounts, sessions, staff, devices, eSIM inventory, lines, catalogue.
-- Times are INTEGER microseconds since the Unix epoch (UTC) so that they compare exactly.
-- Ids are UUID text; v7 ids sort by creation time.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE accounts (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    locale        TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX sessions_account ON sessions(account_id);

CREATE TABLE staff (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'support', 'finance')),
    created_at    INTEGER NOT NULL
);

CREATE TABLE devices (
    id         TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    imei       TEXT NOT NULL UNIQUE,
    eid        TEXT,
    label      TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX devices_account ON devices(account_id, id);

CREATE TABLE profiles (
    id           TEXT PRIMARY KEY,
    iccid        TEXT NOT NULL,
    imsi         TEXT NOT NULL,
    msisdn       TEXT NOT NULL,
    smdp_address TEXT NOT NULL,
    matching_id  TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('available', 'assigned', 'retired')),
    imported_at  INTEGER NOT NULL
);
-- Vendors reuse ICCIDs, so uniqueness only holds among profiles still in use.
CREATE UNIQUE INDEX profiles_live_iccid ON profiles(iccid) WHERE state <> 'retired';
CREATE UNIQUE INDEX profiles_live_matching_id ON profiles(smdp_address, matching_id) WHERE state <> 'retired';
CREATE INDEX profiles_stock ON profiles(state, imported_at, id);

CREATE TABLE lines (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts(id),
    device_id   TEXT NOT NULL UNIQUE REFERENCES devices(id),
    profile_id  TEXT NOT NULL UNIQUE REFERENCES profiles(id),
    msisdn      TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('assigned', 'active', 'grace', 'suspended', 'recycled')),
    valid_until INTEGER,
    created_at  INTEGER NOT NULL
);
CREATE INDEX lines_account ON lines(account_id, id);
CREATE UNIQUE INDEX lines_live_msisdn ON lines(msisdn) WHERE state <> 'recycled';

CREATE TABLE regions (
    id         TEXT PRIMARY KEY,
    cldr       TEXT,
    names      TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE region_countries (
    region_id TEXT NOT NULL REFERENCES regions(id) ON DELETE CASCADE,
    country   TEXT NOT NULL,
    PRIMARY KEY (region_id, country)
);

CREATE TABLE packages (
    code              TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    names             TEXT NOT NULL,
    tier              TEXT NOT NULL,
    region_id         TEXT,
    data_bytes        INTEGER,
    fair_use_bytes    INTEGER,
    voice_seconds     INTEGER NOT NULL,
    sms               INTEGER NOT NULL,
    validity_days     INTEGER NOT NULL,
    keeps_number_days INTEGER NOT NULL,
    starts            TEXT NOT NULL,
    active            INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    CHECK ((data_bytes IS NULL) <> (fair_use_bytes IS NULL))
);

CREATE TABLE package_countries (
    package_code TEXT NOT NULL REFERENCES packages(code) ON DELETE CASCADE,
    country      TEXT NOT NULL,
    PRIMARY KEY (package_code, country)
);
CREATE INDEX package_countries_country ON package_countries(country);

CREATE TABLE package_prices (
    package_code TEXT NOT NULL REFERENCES packages(code) ON DELETE CASCADE,
    currency     TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    PRIMARY KEY (package_code, currency)
);
