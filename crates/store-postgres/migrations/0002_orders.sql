-- Top-up orders, payment notifications, fulfilment jobs, bundles, the ledger, refunds.

CREATE TABLE orders (
    id               UUID PRIMARY KEY,
    account_id       UUID NOT NULL REFERENCES accounts(id),
    line_id          UUID NOT NULL REFERENCES lines(id),
    package_code     TEXT NOT NULL,
    package          TEXT NOT NULL,            -- the package as ordered (JSON snapshot)
    method           TEXT NOT NULL CHECK (method IN ('card', 'alipay', 'wechat')),
    currency         TEXT NOT NULL,
    amount_minor     BIGINT NOT NULL CHECK (amount_minor > 0),
    status           TEXT NOT NULL,
    idempotency_key  TEXT NOT NULL,
    request_hash     TEXT NOT NULL,
    out_trade_no     TEXT NOT NULL UNIQUE,
    provider_ref     TEXT,
    client_secret    TEXT,
    pay_url          TEXT,
    creating_until   TIMESTAMPTZ,
    flag             TEXT,
    refunded_minor   BIGINT NOT NULL DEFAULT 0,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    expires_at       TIMESTAMPTZ NOT NULL,
    paid_at          TIMESTAMPTZ,
    fulfilled_at     TIMESTAMPTZ,
    trade_closed_at  TIMESTAMPTZ,
    UNIQUE (account_id, idempotency_key)
);
CREATE INDEX orders_account ON orders(account_id, id);
CREATE INDEX orders_status ON orders(status, expires_at);
CREATE INDEX orders_provider_ref ON orders(provider_ref);

CREATE TABLE order_events (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id    UUID NOT NULL REFERENCES orders(id),
    from_status TEXT,
    to_status   TEXT NOT NULL,
    reason      TEXT NOT NULL,
    at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX order_events_order ON order_events(order_id, id);

CREATE TABLE payment_events (
    method      TEXT NOT NULL,
    event_id    TEXT NOT NULL,
    order_id    UUID NOT NULL REFERENCES orders(id),
    kind        TEXT NOT NULL,
    received_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (method, event_id)
);

CREATE TABLE fulfilment_jobs (
    id          UUID PRIMARY KEY,
    order_id    UUID NOT NULL UNIQUE REFERENCES orders(id),
    state       TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
    attempts    BIGINT NOT NULL DEFAULT 0,
    run_after   TIMESTAMPTZ NOT NULL,
    lease_until TIMESTAMPTZ,
    last_error  TEXT,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX fulfilment_jobs_due ON fulfilment_jobs(state, run_after);

CREATE TABLE bundles (
    id             UUID PRIMARY KEY,
    line_id        UUID NOT NULL REFERENCES lines(id),
    order_id       UUID NOT NULL UNIQUE REFERENCES orders(id),
    package_code   TEXT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('active', 'exhausted', 'expired', 'revoked')),
    starts_at      TIMESTAMPTZ,
    expires_at     TIMESTAMPTZ,
    validity_days  BIGINT NOT NULL,
    coverage       TEXT NOT NULL,               -- JSON array of ISO codes
    data_total     BIGINT,                     -- NULL = unlimited
    fair_use_bytes BIGINT,
    data_used      BIGINT NOT NULL DEFAULT 0,
    data_reserved  BIGINT NOT NULL DEFAULT 0,
    voice_total    BIGINT NOT NULL,
    voice_used     BIGINT NOT NULL DEFAULT 0,
    voice_reserved BIGINT NOT NULL DEFAULT 0,
    sms_total      BIGINT NOT NULL,
    sms_used       BIGINT NOT NULL DEFAULT 0,
    sms_reserved   BIGINT NOT NULL DEFAULT 0,
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX bundles_line ON bundles(line_id, state);

CREATE TABLE ledger (
    id        UUID PRIMARY KEY,
    line_id   UUID NOT NULL REFERENCES lines(id),
    bundle_id UUID NOT NULL REFERENCES bundles(id),
    order_id  UUID,
    kind      TEXT NOT NULL,
    service   TEXT NOT NULL CHECK (service IN ('data', 'voice', 'sms')),
    units     BIGINT NOT NULL,
    at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX ledger_line ON ledger(line_id, at);
CREATE INDEX ledger_bundle ON ledger(bundle_id);

CREATE TABLE refunds (
    refund_no    TEXT PRIMARY KEY,
    order_id     UUID NOT NULL REFERENCES orders(id),
    amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
    status       TEXT NOT NULL CHECK (status IN ('requested', 'pending', 'succeeded', 'failed')),
    requested_by TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX refunds_order ON refunds(order_id);
