-- Handoffs asked for outside a queue's business hours (issue 14): the desk lists them until an agent
-- marks them handled. The messages themselves stay in the session's journal.
CREATE TABLE offline_conversations (
    session_id   text        NOT NULL PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    connector_id text        NOT NULL,
    queue        text        NOT NULL,
    created_at   timestamptz NOT NULL,
    handled_at   timestamptz,
    handled_by   text
);

CREATE INDEX offline_conversations_open ON offline_conversations (created_at) WHERE handled_at IS NULL;
