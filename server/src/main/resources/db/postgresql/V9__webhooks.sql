-- Outgoing webhooks (issue 14): the operator's subscriptions and the outbox of deliveries owed to them.

-- events: the subscribed event types between commas (",session.started,message.created,") so one
-- strpos() finds a type. sealed_secret: the signing secret sealed with the server secret (as context keys).
CREATE TABLE webhook_subscriptions (
    id            text        NOT NULL PRIMARY KEY,
    url           text        NOT NULL,
    events        text        NOT NULL,
    connector_id  text,
    sealed_secret text        NOT NULL,
    created_at    timestamptz NOT NULL
);

-- The outbox: one row per (subscription, journaled event), written in the journal's own transaction.
-- A delivered row is deleted; a row whose last attempt failed stays as a dead letter (dead_at set).
-- Nodes claim due rows with FOR UPDATE SKIP LOCKED and hold them by lease_owner/lease_until, so one
-- node delivers a row at a time. data holds conversation content: erasure deletes the session's rows, and
-- they go with their session when ended sessions are purged.
CREATE TABLE webhook_deliveries (
    id              text        NOT NULL PRIMARY KEY,
    subscription_id text        NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    event_id        text        NOT NULL,
    event_type      text        NOT NULL,
    session_id      text        NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    connector_id    text        NOT NULL,
    created_at      timestamptz NOT NULL,
    data            text        NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    lease_owner     text,
    lease_until     timestamptz,
    dead_at         timestamptz,
    last_error      text,
    UNIQUE (subscription_id, event_id)
);

CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE dead_at IS NULL;
CREATE INDEX webhook_deliveries_session ON webhook_deliveries (session_id);
CREATE INDEX webhook_deliveries_dead ON webhook_deliveries (dead_at) WHERE dead_at IS NOT NULL;
