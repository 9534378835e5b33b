-- Session ownership leases (issue 11): one fenced writer per session across nodes.
--   * owner_node: the random id of the node whose actor drives the session, NULL when nobody does;
--   * lease_until: until when that node holds it, on the database's clock (now()), never a node's,
--     so nodes with skewed clocks still agree on who owns what;
--   * owner_epoch (V1) grows by one at every acquisition, and every journal append checks it in its
--     own transaction: a former owner (paused, partitioned) fails its next append.
ALTER TABLE sessions ADD COLUMN owner_node text;
ALTER TABLE sessions ADD COLUMN lease_until timestamptz;

-- Renewal and release touch the leases of one node.
CREATE INDEX sessions_owner_node ON sessions (owner_node) WHERE owner_node IS NOT NULL;
