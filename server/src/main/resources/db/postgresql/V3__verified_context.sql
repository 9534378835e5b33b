-- Verified context injection: signing keys per connector, and each session's last verified context.
-- secret holds the key sealed with a key derived from the server secret (never the plain key).
CREATE TABLE context_keys (
    connector_id text        NOT NULL REFERENCES connectors (id),
    key_id       text        NOT NULL,
    secret       text        NOT NULL,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (connector_id, key_id)
);

CREATE TABLE session_contexts (
    session_id  text        NOT NULL PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    ctx_json    text        NOT NULL,
    key_id      text        NOT NULL,
    verified_at timestamptz NOT NULL
);
