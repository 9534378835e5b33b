-- Parley on PostgreSQL (store.kind: postgres). The same tables as the embedded SQLite schema
-- (db/migration), in PostgreSQL's own types, plus what several nodes will need without a rewrite:
--   * sessions.head_seq: the session's highest stored sequence, kept by every append in the same
--     transaction, so a node checks the heads of many sessions with one indexed query (the
--     periodic head check and refill of cross-node readers);
--   * sessions.owner_epoch: the fencing epoch of the session's writer. 0 until leases exist. The
--     lease migration bumps it when ownership moves (UPDATE ... SET owner_epoch = owner_epoch + 1
--     RETURNING owner_epoch) and every journal append adds "AND owner_epoch = ?" to the per-session
--     UPDATE it already runs first; a deposed writer then updates 0 rows and its append is refused,
--     while that row lock makes the taking-over node wait for an append in flight.
-- Timestamps are timestamptz (microseconds); event JSON is text, not jsonb: replay must send the
-- exact bytes that were sent live (PROTOCOL.md §13.3), and jsonb would reorder and respace them.

CREATE TABLE connectors (
    id          text        NOT NULL PRIMARY KEY,
    token_hash  text        NOT NULL UNIQUE,
    host        text,
    created_at  timestamptz NOT NULL,
    revoked_at  timestamptz
);

CREATE TABLE sessions (
    id               text        NOT NULL PRIMARY KEY,
    connector_id     text        NOT NULL REFERENCES connectors (id),
    platform         text        NOT NULL,
    streaming        boolean     NOT NULL,
    created_at       timestamptz NOT NULL,
    last_activity_at timestamptz NOT NULL,
    ended_at         timestamptz,
    end_reason       text,
    head_seq         bigint      NOT NULL DEFAULT 0,
    owner_epoch      bigint      NOT NULL DEFAULT 0
);

-- Purge scans by end time; start-up lists the open sessions.
CREATE INDEX sessions_ended_at ON sessions (ended_at);
CREATE INDEX sessions_open ON sessions (created_at) WHERE ended_at IS NULL;

CREATE TABLE events (
    session_id      text        NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    seq             bigint      NOT NULL CHECK (seq > 0),
    event_id        text        NOT NULL UNIQUE,
    type            text        NOT NULL,
    ts              timestamptz NOT NULL,
    json            text        NOT NULL,
    client_event_id text,
    -- The last line of defence against two writers: one event per sequence of a session.
    PRIMARY KEY (session_id, seq)
);

-- Makes client resends idempotent (PROTOCOL.md §13.5); most events carry no client id.
CREATE UNIQUE INDEX events_client_event_id ON events (session_id, client_event_id)
    WHERE client_event_id IS NOT NULL;

CREATE TABLE live_agents (
    id            text        NOT NULL PRIMARY KEY,
    connector_id  text        NOT NULL REFERENCES connectors (id),
    name          text        NOT NULL UNIQUE,
    avatar_url    text,
    queues        text[]      NOT NULL,
    capacity      integer     NOT NULL,
    password_hash text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE handoffs (
    session_id    text        NOT NULL PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    connector_id  text        NOT NULL,
    queue         text        NOT NULL,
    status        text        NOT NULL CHECK (status IN ('WAITING', 'ASSIGNED', 'CLOSED')),
    enqueued_at   timestamptz NOT NULL,
    agent_id      text,
    assigned_at   timestamptz,
    waiting_since timestamptz
);

-- Start-up reloads the open ones in queue order (and a claim will take the head with SKIP LOCKED).
CREATE INDEX handoffs_open ON handoffs (queue, enqueued_at) WHERE status <> 'CLOSED';
