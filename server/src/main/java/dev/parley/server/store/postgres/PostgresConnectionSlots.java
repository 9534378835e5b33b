package dev.parley.server.store.postgres;

import dev.parley.server.store.ConnectionSlots;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Collection;

/**
 * Connection slots in {@code session_connections} (V4__session_connections.sql), one row per socket
 * with the node that holds it and an expiry on the database's clock, renewed with the node's
 * leases. A claim takes a transaction-scoped advisory lock on the session, so two nodes claiming
 * the last slot at once are serialised: one gets it, the other counts it and is refused. The lock
 * is not the session row's, so claims never wait for the session's appends.
 */
final class PostgresConnectionSlots implements ConnectionSlots {
    private final Jdbc jdbc;
    private final String nodeId;
    private final double ttlSeconds;

    PostgresConnectionSlots(Jdbc jdbc, String nodeId, Duration ttl) {
        this.jdbc = jdbc;
        this.nodeId = nodeId;
        this.ttlSeconds = ttl.toMillis() / 1000.0;
    }

    @Override
    public boolean claim(String sessionId, String slotId, int max) {
        return jdbc.inTransaction("connection slot of " + sessionId, c -> {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                lock.setString(1, "parley.connections." + sessionId);
                lock.execute();
            }
            // The slots of a node that died (it no longer renews them) stop counting here.
            try (PreparedStatement expired = c.prepareStatement(
                    "DELETE FROM session_connections WHERE session_id = ? AND expires_at < now()")) {
                expired.setString(1, sessionId);
                expired.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO session_connections (slot_id, session_id, node_id, expires_at)"
                            + " SELECT ?, ?, ?, now() + make_interval(secs => ?)"
                            + " WHERE (SELECT COUNT(*) FROM session_connections WHERE session_id = ?) < ?")) {
                insert.setString(1, slotId);
                insert.setString(2, sessionId);
                insert.setString(3, nodeId);
                insert.setDouble(4, ttlSeconds);
                insert.setString(5, sessionId);
                insert.setInt(6, max);
                return insert.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void free(String slotId) {
        jdbc.update("connection slot release", "DELETE FROM session_connections WHERE slot_id = ?",
                ps -> ps.setString(1, slotId));
    }

    @Override
    public void renew(Collection<String> heldSlotIds) {
        jdbc.inTransaction("connection slot renewal", c -> {
            java.sql.Array held = c.createArrayOf("text", heldSlotIds.toArray());
            try (PreparedStatement extend = c.prepareStatement(
                    "UPDATE session_connections SET expires_at = now() + make_interval(secs => ?)"
                            + " WHERE node_id = ? AND slot_id = ANY(?)")) {
                extend.setDouble(1, ttlSeconds);
                extend.setString(2, nodeId);
                extend.setArray(3, held);
                extend.executeUpdate();
            }
            try (PreparedStatement stale = c.prepareStatement(
                    "DELETE FROM session_connections WHERE node_id = ? AND NOT (slot_id = ANY(?))")) {
                stale.setString(1, nodeId);
                stale.setArray(2, held);
                stale.executeUpdate();
            }
            return null;
        });
    }
}
