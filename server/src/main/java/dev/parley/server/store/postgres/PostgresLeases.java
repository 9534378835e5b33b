package dev.parley.server.store.postgres;

import dev.parley.server.store.ConnectionSlots;
import dev.parley.server.store.SessionLeases;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Session leases in the {@code sessions} table (V2__session_leases.sql). Every time is the
 * database's ({@code now()}), so nodes need no synchronised clocks; a lease is one row's
 * {@code owner_node}, {@code lease_until} and {@code owner_epoch}, changed by single statements.
 */
final class PostgresLeases implements SessionLeases {
    private final Jdbc jdbc;
    private final String nodeId;
    private final double ttlSeconds;
    private final ConnectionSlots connectionSlots;

    PostgresLeases(Jdbc jdbc, String nodeId, Duration ttl) {
        this.jdbc = jdbc;
        this.nodeId = nodeId;
        this.ttlSeconds = ttl.toMillis() / 1000.0;
        this.connectionSlots = new PostgresConnectionSlots(jdbc, nodeId, ttl);
    }

    @Override
    public ConnectionSlots connectionSlots() {
        return connectionSlots;
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    /**
     * One UPDATE: granted if the lease is free, expired, or ours; the epoch grows by one either way.
     * The row lock makes it wait for an append of the former owner that is in flight, so that
     * append lands before the new epoch (and is in the journal the new owner reads next) or is fenced.
     */
    @Override
    public Optional<Lease> acquire(String sessionId) {
        return jdbc.first("lease of " + sessionId,
                "UPDATE sessions s SET owner_node = ?, owner_epoch = s.owner_epoch + 1,"
                        + " lease_until = now() + make_interval(secs => ?)"
                        + " FROM (SELECT id, owner_node FROM sessions WHERE id = ? FOR UPDATE) before"
                        + " WHERE s.id = before.id AND (s.lease_until IS NULL OR s.lease_until < now() OR s.owner_node = ?)"
                        + " RETURNING s.owner_epoch, before.owner_node",
                ps -> {
                    ps.setString(1, nodeId);
                    ps.setDouble(2, ttlSeconds);
                    ps.setString(3, sessionId);
                    ps.setString(4, nodeId);
                },
                rs -> new Lease(rs.getLong(1), rs.getString(2) != null && !nodeId.equals(rs.getString(2))));
    }

    /** One statement for all of them, whatever their number. */
    @Override
    public Set<String> renew(Collection<String> sessionIds) {
        if (sessionIds.isEmpty()) {
            return Set.of();
        }
        List<String> kept = jdbc.query("lease renewal",
                "UPDATE sessions SET lease_until = now() + make_interval(secs => ?)"
                        + " WHERE owner_node = ? AND id = ANY(?) RETURNING id",
                ps -> {
                    ps.setDouble(1, ttlSeconds);
                    ps.setString(2, nodeId);
                    ps.setArray(3, ps.getConnection().createArrayOf("text", sessionIds.toArray()));
                },
                rs -> rs.getString(1));
        Set<String> lost = new HashSet<>(sessionIds);
        kept.forEach(lost::remove);
        return lost;
    }

    /** The owner stays named (so the next acquisition counts as a move); the lease is free at once. */
    @Override
    public void release(Collection<String> sessionIds) {
        if (sessionIds.isEmpty()) {
            return;
        }
        jdbc.update("lease release", "UPDATE sessions SET lease_until = NULL WHERE owner_node = ? AND id = ANY(?)",
                ps -> {
                    ps.setString(1, nodeId);
                    ps.setArray(2, ps.getConnection().createArrayOf("text", sessionIds.toArray()));
                });
    }

    @Override
    public Optional<String> liveOwner(String sessionId) {
        return jdbc.first("owner of " + sessionId,
                "SELECT owner_node FROM sessions WHERE id = ? AND lease_until >= now()",
                ps -> ps.setString(1, sessionId), rs -> rs.getString(1));
    }

    @Override
    public boolean multiNode() {
        return true;
    }
}
