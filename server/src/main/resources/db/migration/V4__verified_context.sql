-- Verified context injection: signing keys per connector, and each session's last verified context.
-- secret holds the key sealed with a key derived from the server secret (never the plain key).
CREATE TABLE context_keys (
    connector_id TEXT    NOT NULL REFERENCES connectors (id),
    key_id       TEXT    NOT NULL,
    secret       TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (connector_id, key_id)
);

CREATE TABLE session_contexts (
    session_id  TEXT    NOT NULL PRIMARY KEY REFERENCES sessions (id),
    ctx_json    TEXT    NOT NULL,
    key_id      TEXT    NOT NULL,
    verified_at INTEGER NOT NULL
);
