-- Parley journal schema. Timestamps are epoch milliseconds (INTEGER).

CREATE TABLE connectors (
    id          TEXT    NOT NULL PRIMARY KEY,
    token_hash  TEXT    NOT NULL UNIQUE,
    host        TEXT,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER
);

CREATE TABLE sessions (
    id               TEXT    NOT NULL PRIMARY KEY,
    connector_id     TEXT    NOT NULL REFERENCES connectors (id),
    platform         TEXT    NOT NULL,
    streaming        INTEGER NOT NULL,
    created_at       INTEGER NOT NULL,
    last_activity_at INTEGER NOT NULL,
    ended_at         INTEGER,
    end_reason       TEXT
);

-- Purge scans by end time; open sessions (ended_at IS NULL) are listed at startup.
CREATE INDEX sessions_ended_at ON sessions (ended_at);

CREATE TABLE events (
    session_id      TEXT    NOT NULL REFERENCES sessions (id),
    seq             INTEGER NOT NULL,
    event_id        TEXT    NOT NULL UNIQUE,
    type            TEXT    NOT NULL,
    ts              INTEGER NOT NULL,
    json            TEXT    NOT NULL,
    client_event_id TEXT,
    PRIMARY KEY (session_id, seq)
);

-- Makes client resends idempotent (PROTOCOL.md §13.5); most events carry no client id.
CREATE UNIQUE INDEX events_client_event_id ON events (session_id, client_event_id)
    WHERE client_event_id IS NOT NULL;
