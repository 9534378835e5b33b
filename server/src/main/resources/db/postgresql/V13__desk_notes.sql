-- Internal notes agents write on a conversation: desk-only, never events, never sent to the user, not in
-- the search index. Erasure and retention delete them with their session.
CREATE TABLE desk_notes (
    id           text        NOT NULL PRIMARY KEY,
    session_id   text        NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    connector_id text        NOT NULL,
    author_id    text        NOT NULL,
    author_name  text        NOT NULL,
    text         text        NOT NULL,
    created_at   timestamptz NOT NULL
);

CREATE INDEX desk_notes_by_session ON desk_notes (session_id, created_at);
