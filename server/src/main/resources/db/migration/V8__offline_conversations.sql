-- Handoffs asked for outside a queue's business hours (issue 14): the desk lists them until an agent
-- marks them handled. The messages themselves stay in the session's journal. Epoch milliseconds.
CREATE TABLE offline_conversations (
    session_id   TEXT    NOT NULL PRIMARY KEY REFERENCES sessions (id),
    connector_id TEXT    NOT NULL,
    queue        TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    handled_at   INTEGER,
    handled_by   TEXT
);

CREATE INDEX offline_conversations_open ON offline_conversations (handled_at, created_at);
