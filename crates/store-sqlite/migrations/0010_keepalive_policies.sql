-- Keep-alive policies from the catalogue (JSON documents; staff edit them later).
CREATE TABLE keepalive_policies (
    id   TEXT PRIMARY KEY,
    data TEXT NOT NULL
);
