-- Canned replies (issue: canned replies): texts a connector's team shares per queue; queue NULL means every
-- queue of the connector. Operator data, not conversation content: erasure leaves them, the export carries them.
CREATE TABLE canned_replies (
    id           text        NOT NULL PRIMARY KEY,
    connector_id text        NOT NULL,
    queue        text,
    shortcut     text        NOT NULL,
    title        text        NOT NULL,
    text         text        NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);

-- One shortcut per connector and queue; the all-queues replies ('' here) form a queue of their own.
CREATE UNIQUE INDEX canned_replies_shortcut ON canned_replies (connector_id, coalesce(queue, ''), shortcut);
