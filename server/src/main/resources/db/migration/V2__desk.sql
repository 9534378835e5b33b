-- Live-agent desk: agent accounts and the durable handoff queue. Timestamps are epoch milliseconds.

CREATE TABLE live_agents (
    id            TEXT    NOT NULL PRIMARY KEY,
    connector_id  TEXT    NOT NULL REFERENCES connectors (id),
    name          TEXT    NOT NULL UNIQUE,
    avatar_url    TEXT,
    queues        TEXT    NOT NULL, -- comma-separated queue names (queue names never contain commas)
    capacity      INTEGER NOT NULL,
    password_hash TEXT    NOT NULL,
    created_at    INTEGER NOT NULL
);

CREATE TABLE handoffs (
    session_id   TEXT    NOT NULL PRIMARY KEY REFERENCES sessions (id),
    connector_id TEXT    NOT NULL,
    queue        TEXT    NOT NULL,
    status       TEXT    NOT NULL, -- WAITING, ASSIGNED, CLOSED
    enqueued_at  INTEGER NOT NULL,
    agent_id     TEXT,
    assigned_at  INTEGER
);

-- Start-up reloads the open ones in queue order.
CREATE INDEX handoffs_open ON handoffs (status, enqueued_at);
