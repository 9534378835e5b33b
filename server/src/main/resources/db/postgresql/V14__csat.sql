-- CSAT (issue: customer satisfaction): one rating per conversation that ended after a live agent had it.
-- queue and agent_id are copied from the handoff record when the rating is given (the live agent who
-- had the conversation last). comment is the user's own words: erasure deletes the row, and it goes
-- with its session when ended sessions are purged.
CREATE TABLE csat_ratings (
    session_id   text        NOT NULL PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    connector_id text        NOT NULL,
    queue        text        NOT NULL,
    agent_id     text        NOT NULL,
    rating       integer     NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment      text,
    created_at   timestamptz NOT NULL
);

CREATE INDEX csat_ratings_agent ON csat_ratings (agent_id, created_at);
