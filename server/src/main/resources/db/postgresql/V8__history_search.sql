-- History and search (issue 14): the text of each message of a session, for the desk's search.
-- One row per user, AI or live-agent message; a streamed AI reply is one row (message_key
-- 'm:' + its message_id), its chunks appended as they are stored. Written in the journal's own
-- append transaction, so the index is never behind the events; erased with the session.
-- The tsvector is English (stemmed: "refunds" finds "refunded"), generated, under a GIN index.
CREATE TABLE message_texts (
    session_id  text   NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    message_key text   NOT NULL,
    seq         bigint NOT NULL,
    body        text   NOT NULL,
    tsv         tsvector GENERATED ALWAYS AS (to_tsvector('english', body)) STORED,
    PRIMARY KEY (session_id, message_key)
);

CREATE INDEX message_texts_tsv ON message_texts USING gin (tsv);

-- History pages newest first by (ended_at, id) over ended sessions.
CREATE INDEX sessions_ended_id ON sessions (ended_at, id) WHERE ended_at IS NOT NULL;
