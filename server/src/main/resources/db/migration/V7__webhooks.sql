-- Outgoing webhooks (issue 14): the operator's subscriptions and the outbox of deliveries owed to them.
-- Timestamps are epoch milliseconds.

-- events: the subscribed event types between commas (",session.started,message.created,") so one
-- instr() finds a type. sealed_secret: the signing secret sealed with the server secret (as context keys).
CREATE TABLE webhook_subscriptions (
    id            TEXT    NOT NULL PRIMARY KEY,
    url           TEXT    NOT NULL,
    events        TEXT    NOT NULL,
    connector_id  TEXT,
    sealed_secret TEXT    NOT NULL,
    created_at    INTEGER NOT NULL
);

-- The outbox: one row per (subscription, journaled event), written in the journal's own transaction.
-- A delivered row is deleted; a row whose last attempt failed stays as a dead letter (dead_at set).
-- data holds conversation content (message texts): erasure and the purge of ended sessions delete the
-- session's rows.
CREATE TABLE webhook_deliveries (
    id              TEXT    NOT NULL PRIMARY KEY,
    subscription_id TEXT    NOT NULL,
    event_id        TEXT    NOT NULL,
    event_type      TEXT    NOT NULL,
    session_id      TEXT    NOT NULL,
    connector_id    TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    data            TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_owner     TEXT,
    lease_until     INTEGER,
    dead_at         INTEGER,
    last_error      TEXT,
    UNIQUE (subscription_id, event_id)
);

CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE dead_at IS NULL;
CREATE INDEX webhook_deliveries_session ON webhook_deliveries (session_id);
CREATE INDEX webhook_deliveries_dead ON webhook_deliveries (dead_at) WHERE dead_at IS NOT NULL;
