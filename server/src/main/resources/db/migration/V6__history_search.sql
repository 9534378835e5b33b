-- History and search (issue 14): the text of each message of a session, for the desk's search.
-- One row per user, AI or live-agent message; a streamed AI reply is one row (message_key
-- 'm:' + its message_id), its chunks appended as they are stored. Written in the journal's own
-- append transaction, so the index is never behind the events; erased with the session.
CREATE TABLE message_texts (
    session_id  TEXT    NOT NULL REFERENCES sessions (id),
    message_key TEXT    NOT NULL,
    seq         INTEGER NOT NULL,
    body        TEXT    NOT NULL,
    PRIMARY KEY (session_id, message_key)
);

-- FTS5 over message_texts (external content: the text is stored once, in message_texts), kept in
-- step by the triggers below. unicode61 folds case and diacritics; no stemmer, so a search word
-- matches as a prefix instead (the query is built so).
CREATE VIRTUAL TABLE message_search USING fts5(
    body, content = 'message_texts', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2');

-- Erasure must leave no token of an erased message in the index's pages, not only mark it deleted.
INSERT INTO message_search (message_search, rank) VALUES ('secure-delete', 1);

CREATE TRIGGER message_texts_ai AFTER INSERT ON message_texts BEGIN
    INSERT INTO message_search (rowid, body) VALUES (new.rowid, new.body);
END;
CREATE TRIGGER message_texts_ad AFTER DELETE ON message_texts BEGIN
    INSERT INTO message_search (message_search, rowid, body) VALUES ('delete', old.rowid, old.body);
END;
CREATE TRIGGER message_texts_au AFTER UPDATE ON message_texts BEGIN
    INSERT INTO message_search (message_search, rowid, body) VALUES ('delete', old.rowid, old.body);
    INSERT INTO message_search (rowid, body) VALUES (new.rowid, new.body);
END;

-- History pages newest first by (ended_at, id) over ended sessions.
CREATE INDEX sessions_ended_id ON sessions (ended_at, id) WHERE ended_at IS NOT NULL;
