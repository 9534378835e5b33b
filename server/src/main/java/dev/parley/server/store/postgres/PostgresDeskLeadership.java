package dev.parley.server.store.postgres;

import dev.parley.server.desk.DeskAgent;
import dev.parley.server.desk.DeskStore;
import dev.parley.server.desk.HandoffRecord;
import dev.parley.server.store.DeskLeadership;
import dev.parley.server.store.FencedException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The desk leader's lease in the one-row {@code desk_leader} table (V5__desk_leader.sql), on the database's clock. */
final class PostgresDeskLeadership implements DeskLeadership {
    private final Jdbc jdbc;
    private final PostgresStore store;
    private final String nodeId;
    private final double ttlSeconds;

    PostgresDeskLeadership(Jdbc jdbc, PostgresStore store, String nodeId, Duration ttl) {
        this.jdbc = jdbc;
        this.store = store;
        this.nodeId = nodeId;
        this.ttlSeconds = ttl.toMillis() / 1000.0;
    }

    /**
     * One UPDATE renews a live lease of ours (same epoch) or takes a free or expired one (epoch + 1);
     * when it changes no row, another node's lease is live and is read instead.
     */
    @Override
    public Optional<Term> claim() {
        Optional<Term> mine = jdbc.first("desk leadership",
                "UPDATE desk_leader SET leader_node = ?, lease_until = now() + make_interval(secs => ?),"
                        + " epoch = CASE WHEN leader_node = ? AND lease_until >= now() THEN epoch ELSE epoch + 1 END"
                        + " WHERE id = 1 AND (lease_until IS NULL OR lease_until < now() OR leader_node = ?)"
                        + " RETURNING leader_node, epoch",
                ps -> {
                    ps.setString(1, nodeId);
                    ps.setDouble(2, ttlSeconds);
                    ps.setString(3, nodeId);
                    ps.setString(4, nodeId);
                }, PostgresDeskLeadership::term);
        if (mine.isPresent()) {
            return mine;
        }
        return jdbc.first("desk leader", "SELECT leader_node, epoch FROM desk_leader WHERE id = 1 AND lease_until >= now()",
                ps -> { }, PostgresDeskLeadership::term);
    }

    @Override
    public void release() {
        jdbc.update("desk leadership release", "UPDATE desk_leader SET lease_until = NULL WHERE id = 1 AND leader_node = ?",
                ps -> ps.setString(1, nodeId));
    }

    @Override
    public DeskStore fenced(long epoch) {
        return new Fenced(epoch);
    }

    private static Term term(ResultSet rs) throws SQLException {
        return new Term(rs.getString(1), rs.getLong(2));
    }

    /** Reads as the store does; every write first checks, in its own transaction, that the term still holds. */
    private final class Fenced implements DeskStore {
        private final long epoch;

        Fenced(long epoch) {
            this.epoch = epoch;
        }

        /**
         * {@code FOR SHARE} holds the leader row until the write commits: a takeover's UPDATE waits
         * for it, so no write of this term lands after the next term began.
         */
        private void checked(String what, Jdbc.Work<Void> write) {
            jdbc.inTransaction(what, c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM desk_leader WHERE id = 1"
                        + " AND leader_node = ? AND epoch = ? AND lease_until >= now() FOR SHARE")) {
                    ps.setString(1, nodeId);
                    ps.setLong(2, epoch);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw new FencedException("desk", epoch);
                        }
                    }
                }
                return write.run(c);
            });
        }

        @Override
        public void saveHandoff(HandoffRecord record) {
            checked("save of handoff " + record.sessionId(), c -> {
                store.saveHandoff(c, record);
                return null;
            });
        }

        @Override
        public void saveWaitingSince(String sessionId, Instant since) {
            checked("waiting time of handoff " + sessionId, c -> {
                store.saveWaitingSince(c, sessionId, since);
                return null;
            });
        }

        /** Recorded by the leader's desk only, but it changes no queue: a former leader's record is harmless. */
        @Override
        public void saveOfflineConversation(dev.parley.server.desk.OfflineConversation conversation) {
            store.saveOfflineConversation(conversation);
        }

        @Override
        public List<dev.parley.server.desk.OfflineConversation> openOfflineConversations() {
            return store.openOfflineConversations();
        }

        @Override
        public boolean markOfflineHandled(String sessionId, String agentId, Instant at) {
            return store.markOfflineHandled(sessionId, agentId, at);
        }

        @Override
        public void createAgent(DeskAgent agent, String passwordHash) {
            store.createAgent(agent, passwordHash);
        }

        @Override
        public Optional<DeskAgent> findAgent(String id) {
            return store.findAgent(id);
        }

        @Override
        public Optional<DeskAgent> findAgentByName(String name) {
            return store.findAgentByName(name);
        }

        @Override
        public Optional<String> passwordHash(String agentId) {
            return store.passwordHash(agentId);
        }

        @Override
        public List<DeskAgent> listAgents() {
            return store.listAgents();
        }

        @Override
        public List<HandoffRecord> openHandoffs() {
            return store.openHandoffs();
        }

        @Override
        public Map<String, Instant> waitingSinceOfOpenHandoffs() {
            return store.waitingSinceOfOpenHandoffs();
        }
    }
}
