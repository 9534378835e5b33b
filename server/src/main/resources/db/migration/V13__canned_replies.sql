-- Canned replies (issue: canned replies): texts a connector's team shares per queue; queue NULL means every
-- queue of the connector. Operator data, not conversation content: erasure leaves them, the export carries them.
-- Timestamps are epoch milliseconds.
CREATE TABLE canned_replies (
    id           TEXT    NOT NULL PRIMARY KEY,
    connector_id TEXT    NOT NULL,
    queue        TEXT,
    shortcut     TEXT    NOT NULL,
    title        TEXT    NOT NULL,
    text         TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);

-- One shortcut per connector and queue; the all-queues replies ('' here) form a queue of their own.
CREATE UNIQUE INDEX canned_replies_shortcut ON canned_replies (connector_id, coalesce(queue, ''), shortcut);
