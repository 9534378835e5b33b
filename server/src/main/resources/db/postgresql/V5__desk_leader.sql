-- The desk leader (issue 11): one node per cluster runs the live-agent desk (queues, claims,
-- automatic assignment, queue timers). One row, like a session lease:
--   * leader_node: the random id of the node that leads, NULL before anyone did;
--   * lease_until: until when, on the database's clock (now()), so node clocks do not matter;
--   * epoch grows by one at every new term; every desk write checks it in its own transaction, so
--     a former leader (paused, cut off) cannot change the queues after another node took over.
CREATE TABLE desk_leader (
    id          integer PRIMARY KEY CHECK (id = 1),
    leader_node text,
    lease_until timestamptz,
    epoch       bigint NOT NULL DEFAULT 0
);
INSERT INTO desk_leader (id) VALUES (1);
