-- CSAT (issue: customer satisfaction): one rating per conversation that ended after a live agent had it.
-- queue and agent_id are copied from the handoff record when the rating is given (the live agent who
-- had the conversation last). comment is the user's own words: erasure and the purge of ended sessions
-- delete the row. Epoch milliseconds.
CREATE TABLE csat_ratings (
    session_id   TEXT    NOT NULL PRIMARY KEY REFERENCES sessions (id),
    connector_id TEXT    NOT NULL,
    queue        TEXT    NOT NULL,
    agent_id     TEXT    NOT NULL,
    rating       INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment      TEXT,
    created_at   INTEGER NOT NULL
);

CREATE INDEX csat_ratings_agent ON csat_ratings (agent_id, created_at);
