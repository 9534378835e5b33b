-- One row per open user socket of a session, on any node (issue 11): the limit of connections per
-- session (PROTOCOL.md §3.3) counts them all. The node renews its rows with its leases; the rows of
-- a node that died stop counting once expires_at (the database's clock) has passed.
CREATE TABLE session_connections (
    slot_id    text        NOT NULL PRIMARY KEY,
    session_id text        NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    node_id    text        NOT NULL,
    expires_at timestamptz NOT NULL
);

CREATE INDEX session_connections_session ON session_connections (session_id);
CREATE INDEX session_connections_node ON session_connections (node_id);
