-- Webhooks in HF's shape, and every delivery with its attempts (the delivery log).
CREATE TABLE webhooks (
    id         TEXT PRIMARY KEY,
    owner      TEXT    NOT NULL,
    url        TEXT    NOT NULL,
    watched    TEXT    NOT NULL,
    domains    TEXT    NOT NULL,
    secret     TEXT    NOT NULL DEFAULT '',
    disabled   INTEGER NOT NULL DEFAULT 0,
    created_at TEXT    NOT NULL
);

CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    webhook_id      TEXT    NOT NULL,
    repo            TEXT    NOT NULL,
    event_seq       INTEGER NOT NULL,
    payload         TEXT    NOT NULL,
    state           TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_status     INTEGER,
    last_error      TEXT    NOT NULL DEFAULT '',
    created_at      TEXT    NOT NULL,
    delivered_at    TEXT,
    UNIQUE (webhook_id, event_seq)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);
