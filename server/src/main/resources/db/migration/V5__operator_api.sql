-- Operator APIs (issue 14): API keys for /api/v1/operator, erasure audit records, per-connector retention.
-- Timestamps are epoch milliseconds. No table here holds conversation content.

-- key_hash: h1: + hex(HMAC-SHA256(k, SHA-256(key))), k derived from the server secret (as connector tokens).
CREATE TABLE operator_api_keys (
    id         TEXT    NOT NULL PRIMARY KEY,
    name       TEXT    NOT NULL,
    key_hash   TEXT    NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);

-- One row per erased conversation: who erased it and when, never what it said. A session id found
-- here is refused for good (its sessions row is gone, and ids are never reused).
CREATE TABLE erased_sessions (
    session_id   TEXT    NOT NULL PRIMARY KEY,
    connector_id TEXT    NOT NULL,
    erased_at    INTEGER NOT NULL,
    erased_by    TEXT    NOT NULL
);

-- Nodes poll recent erasures (to drop live state of a session erased elsewhere).
CREATE INDEX erased_sessions_erased_at ON erased_sessions (erased_at);

-- Days an ended conversation of this connector is kept before the retention sweep erases it; NULL: no limit.
ALTER TABLE connectors ADD COLUMN retention_days INTEGER;

-- The operator listing pages newest first by (created_at, id).
CREATE INDEX sessions_created ON sessions (created_at, id);
