-- Internal notes agents write on a conversation: desk-only, never events, never sent to the user, not in
-- the search index. Erasure and retention delete them with their session. Epoch milliseconds.
CREATE TABLE desk_notes (
    id           TEXT    NOT NULL PRIMARY KEY,
    session_id   TEXT    NOT NULL REFERENCES sessions (id),
    connector_id TEXT    NOT NULL,
    author_id    TEXT    NOT NULL,
    author_name  TEXT    NOT NULL,
    text         TEXT    NOT NULL,
    created_at   INTEGER NOT NULL
);

CREATE INDEX desk_notes_by_session ON desk_notes (session_id, created_at);
