package dev.parley.server.store.postgres;

import static dev.parley.server.store.postgres.Jdbc.instant;
import static dev.parley.server.store.postgres.Jdbc.setInstant;
import static dev.parley.server.store.postgres.Jdbc.setNullableString;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.parley.protocol.EndReason;
import dev.parley.protocol.EventType;
import dev.parley.server.config.StoreConfig;
import dev.parley.server.desk.DeskAgent;
import dev.parley.server.desk.HandoffRecord;
import dev.parley.server.desk.OfflineConversation;
import dev.parley.server.store.Connector;
import dev.parley.server.store.ContextKey;
import dev.parley.server.store.StoredContext;
import dev.parley.server.store.MessageText;
import dev.parley.server.store.NodeStore;
import dev.parley.server.store.SessionEndMark;
import dev.parley.server.store.SessionLeases;
import dev.parley.server.store.SessionRecord;
import dev.parley.server.store.StoreException;
import dev.parley.server.store.StoredEvent;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import dev.parley.server.store.migration.SchemaMigrations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal, sessions, connectors and the live-agent desk in a PostgreSQL database
 * ({@code store.kind: postgres}), through a HikariCP pool, its schema migrated by Flyway from
 * {@code db/postgresql} at open.
 *
 * <p>An append of many sessions (one group commit) is one transaction: one UPDATE per session
 * (head, activity) and one batched INSERT of all events, so a commit costs a few round trips
 * whatever the number of sessions. {@code (session_id, seq)} and {@code (session_id,
 * client_event_id)} are unique in the schema: a second writer of a session fails instead of
 * forking its history. Every call blocks; callers keep it off event-loop threads.
 */
public final class PostgresStore implements NodeStore {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresStore.class);

    /** How long a call waits for a free connection (or a connection at all) before failing. */
    private static final long CONNECTION_TIMEOUT_MILLIS = 5_000;
    /** How long a statement may wait for the database's answer before its connection counts as dead. */
    private static final int SOCKET_TIMEOUT_SECONDS = 30;

    private static final String EVENT_COLUMNS = "session_id, seq, event_id, type, ts, json, client_event_id, answers_seq";
    private static final String SESSION_COLUMNS =
            "id, connector_id, platform, streaming, created_at, ended_at, end_reason";
    private static final String CONNECTOR_COLUMNS = "id, token_hash, host, created_at, revoked_at";
    private static final String AGENT_COLUMNS = "id, connector_id, name, avatar_url, queues, capacity, role";
    private static final String HANDOFF_COLUMNS =
            "session_id, connector_id, queue, status, enqueued_at, agent_id, assigned_at";

    private final HikariDataSource pool;
    private final Jdbc jdbc;

    private PostgresStore(HikariDataSource pool) {
        this.pool = pool;
        this.jdbc = new Jdbc(pool);
    }

    @Override
    public dev.parley.server.store.OperatorStore operators() {
        return new PostgresOperatorStore(jdbc);
    }

    @Override
    public dev.parley.server.desk.canned.CannedReplyStore cannedReplies() {
        return new PostgresCannedReplyStore(jdbc);
    }

    @Override
    public dev.parley.server.webhooks.WebhookStore webhooks() {
        return new PostgresWebhookStore(jdbc);
    }

    @Override
    public dev.parley.server.desk.notes.NoteStore notes() {
        return new PostgresNoteStore(jdbc);
    }

    @Override
    public dev.parley.server.csat.CsatStore csat() {
        return new PostgresCsatStore(jdbc);
    }

    /**
     * Connects, brings the schema up to date and returns the store. Several nodes starting at once
     * are safe: Flyway serialises their migrations with a PostgreSQL advisory lock.
     *
     * @throws StoreException if the database cannot be reached or migrated
     */
    public static PostgresStore open(StoreConfig config) {
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(poolConfig(config));
        } catch (RuntimeException e) {
            throw new StoreException("cannot connect to " + config.url() + ": " + rootMessage(e), e);
        }
        try {
            SchemaMigrations.of(pool, StoreConfig.Kind.POSTGRES, config.url()).onOpen(config.migrateOnStart());
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        LOG.info("store opened on {} (pool of {})", config.url(), config.poolSize());
        return new PostgresStore(pool);
    }

    /** The pool settings of a node; admin commands use them with a smaller pool. */
    public static HikariConfig poolConfig(StoreConfig config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("parley-postgres");
        hikari.setJdbcUrl(config.url());
        if (config.user() != null) {
            hikari.setUsername(config.user());
        }
        if (config.password() != null) {
            hikari.setPassword(config.password().value());
        }
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setMinimumIdle(Math.min(2, config.poolSize()));
        hikari.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
        // A link that silently stops passing bytes (a partition) must fail a call, not hang the journal's
        // writer thread forever; every statement here is short, so this only ever cuts dead links.
        hikari.addDataSourceProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT_SECONDS));
        // One multi-row INSERT per group commit instead of one statement per event.
        hikari.addDataSourceProperty("reWriteBatchedInserts", "true");
        hikari.addDataSourceProperty("ApplicationName", "parley");
        return hikari;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    // ---- EventStore -------------------------------------------------------------------------

    /**
     * All or nothing, like every {@code EventStore}: a duplicate sequence or client event id, an
     * unknown session or a bad {@code SESSION_END} anywhere fails the whole call, and
     * {@code GroupCommitWriter} then retries each append of the group alone, so only the bad one fails.
     */
    @Override
    public void append(List<StoredEvent> events) {
        append(List.of(), events);
    }

    /**
     * New sessions' rows first (head 0), so their {@code SESSION_START} among the events moves their
     * head like any append: this is how session creation shares the group commit.
     */
    @Override
    public void append(List<SessionRecord> newSessions, List<StoredEvent> events) {
        append(newSessions, events, Map.of());
    }

    /**
     * Fenced per session: each session's head moves in an UPDATE that also checks its lease epoch,
     * first, so the row stays locked to the end of the transaction (a node taking the lease over
     * waits for an append in flight, then bumps the epoch). A session whose epoch moved on updates
     * no row; its events are left out of the INSERT and the others commit normally. Nothing fails
     * in the database, so no savepoint is needed.
     */
    @Override
    public Set<String> append(List<SessionRecord> newSessions, List<StoredEvent> events, Map<String, Long> epochs) {
        if (newSessions.isEmpty() && events.isEmpty()) {
            return Set.of();
        }
        Map<String, SessionEndMark> ends = SessionEndMark.findIn(events);
        List<MessageText> texts = MessageText.findIn(events);
        // Sorted by session id: concurrent writers lock session rows in one order and cannot deadlock.
        Map<String, SessionHead> heads = new TreeMap<>();
        for (StoredEvent e : events) {
            heads.merge(e.sessionId(), new SessionHead(e.sequence(), e.timestamp()), SessionHead::max);
        }
        return jdbc.inTransaction("append of " + newSessions.size() + " sessions and " + events.size() + " events", c -> {
            insertSessions(c, newSessions);
            Set<String> fenced = advanceHeads(c, heads, epochs);
            if (fenced.isEmpty()) {
                insertEvents(c, events);
                PostgresWebhookStore.enqueue(c, events); // the outbox commits with the events it is owed for
                indexTexts(c, texts);
                markEnded(c, ends.values());
            } else {
                List<StoredEvent> kept = events.stream().filter(e -> !fenced.contains(e.sessionId())).toList();
                insertEvents(c, kept);
                PostgresWebhookStore.enqueue(c, kept);
                indexTexts(c, texts.stream().filter(t -> !fenced.contains(t.sessionId())).toList());
                markEnded(c, ends.values().stream().filter(end -> !fenced.contains(end.sessionId())).toList());
            }
            return fenced;
        });
    }

    private static void insertSessions(Connection c, List<SessionRecord> sessions) throws SQLException {
        if (sessions.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO sessions (" + SESSION_COLUMNS
                + ", last_activity_at, head_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)")) {
            for (SessionRecord session : sessions) {
                ps.setString(1, session.id());
                ps.setString(2, session.connectorId());
                ps.setString(3, session.platform());
                ps.setBoolean(4, session.streaming());
                setInstant(ps, 5, session.createdAt());
                setInstant(ps, 6, session.endedAt());
                setNullableString(ps, 7, session.endReason() == null ? null : session.endReason().name());
                setInstant(ps, 8, session.createdAt());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The highest sequence and newest timestamp an append brings to one session. */
    private record SessionHead(long sequence, Instant activity) {
        SessionHead max(SessionHead other) {
            return new SessionHead(Math.max(sequence, other.sequence),
                    activity.isAfter(other.activity) ? activity : other.activity);
        }
    }

    /**
     * First, so the session rows are locked for the rest of the transaction. A session with an
     * epoch in {@code epochs} moves only if its lease still has that epoch; the sessions that did
     * not are returned (fenced). A session without one (a creation, a single-node caller) must exist.
     */
    private static Set<String> advanceHeads(Connection c, Map<String, SessionHead> heads, Map<String, Long> epochs)
            throws SQLException {
        // GREATEST: an out-of-order batch never moves a head or an activity clock backwards.
        try (PreparedStatement ps = c.prepareStatement("UPDATE sessions SET head_seq = GREATEST(head_seq, ?),"
                + " last_activity_at = GREATEST(last_activity_at, ?) WHERE id = ? AND (? < 0 OR owner_epoch = ?)")) {
            for (Map.Entry<String, SessionHead> e : heads.entrySet()) {
                long epoch = epochs.getOrDefault(e.getKey(), -1L);
                ps.setLong(1, e.getValue().sequence());
                setInstant(ps, 2, e.getValue().activity());
                ps.setString(3, e.getKey());
                ps.setLong(4, epoch);
                ps.setLong(5, epoch);
                ps.addBatch();
            }
            int[] updated = ps.executeBatch();
            Set<String> fenced = new java.util.HashSet<>();
            int i = 0;
            for (String sessionId : heads.keySet()) {
                if (updated[i++] == 0) {
                    if (!epochs.containsKey(sessionId)) {
                        throw new StoreException("no session " + sessionId + " to append to");
                    }
                    fenced.add(sessionId);
                }
            }
            return fenced;
        }
    }

    private static void insertEvents(Connection c, List<StoredEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO events (" + EVENT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (StoredEvent e : events) {
                ps.setString(1, e.sessionId());
                ps.setLong(2, e.sequence());
                ps.setString(3, e.eventId());
                ps.setString(4, e.type().name());
                setInstant(ps, 5, e.timestamp());
                ps.setString(6, e.json());
                setNullableString(ps, 7, e.clientEventId());
                if (e.answersSeq() == null) {
                    ps.setNull(8, Types.BIGINT);
                } else {
                    ps.setLong(8, e.answersSeq());
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The history search index, in the append's own transaction: searchable once the events are stored. */
    private static void indexTexts(Connection c, List<MessageText> texts) throws SQLException {
        if (texts.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(MessageText.UPSERT)) {
            for (MessageText t : texts) {
                ps.setString(1, t.sessionId());
                ps.setString(2, t.messageKey());
                ps.setLong(3, t.seq());
                ps.setString(4, t.text());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void markEnded(Connection c, Iterable<SessionEndMark> ends) throws SQLException {
        // The first end wins: a session ends once.
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL")) {
            boolean any = false;
            for (SessionEndMark end : ends) {
                setInstant(ps, 1, end.endedAt());
                ps.setString(2, end.reason().name());
                ps.setString(3, end.sessionId());
                ps.addBatch();
                any = true;
            }
            if (any) {
                ps.executeBatch();
            }
        }
    }

    @Override
    public List<StoredEvent> readAfter(String sessionId, long afterSequence, int limit) {
        return jdbc.query("readAfter",
                "SELECT " + EVENT_COLUMNS + " FROM events WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                ps -> {
                    ps.setString(1, sessionId);
                    ps.setLong(2, afterSequence);
                    ps.setInt(3, limit);
                },
                PostgresStore::event);
    }

    /** One primary-key lookup: {@code head_seq} moves in the transaction of every append. */
    @Override
    public long headSequence(String sessionId) {
        return jdbc.first("headSequence", "SELECT head_seq FROM sessions WHERE id = ?",
                ps -> ps.setString(1, sessionId), rs -> rs.getLong(1)).orElse(0L);
    }

    @Override
    public void probe() {
        jdbc.first("probe", "SELECT 1", ps -> { }, rs -> rs.getInt(1));
    }

    @Override
    public Optional<StoredEvent> findByClientEventId(String sessionId, String clientEventId) {
        return jdbc.first("findByClientEventId",
                "SELECT " + EVENT_COLUMNS + " FROM events WHERE session_id = ? AND client_event_id = ?",
                ps -> {
                    ps.setString(1, sessionId);
                    ps.setString(2, clientEventId);
                },
                PostgresStore::event);
    }

    // ---- SessionStore -----------------------------------------------------------------------

    @Override
    public void create(SessionRecord session, StoredEvent sessionStart) {
        if (!session.id().equals(sessionStart.sessionId())) {
            throw new IllegalArgumentException("session start belongs to " + sessionStart.sessionId());
        }
        append(List.of(session), List.of(sessionStart));
    }

    @Override
    public Optional<SessionRecord> findSession(String sessionId) {
        return jdbc.first("findSession", "SELECT " + SESSION_COLUMNS + " FROM sessions WHERE id = ?",
                ps -> ps.setString(1, sessionId), PostgresStore::session);
    }

    @Override
    public List<SessionRecord> openSessions() {
        return jdbc.query("openSessions",
                "SELECT " + SESSION_COLUMNS + " FROM sessions WHERE ended_at IS NULL ORDER BY created_at, id",
                ps -> { }, PostgresStore::session);
    }

    /** Events and handoffs go with their session ({@code ON DELETE CASCADE}). */
    @Override
    public int purgeEndedBefore(Instant cutoff) {
        return jdbc.update("purge", "DELETE FROM sessions WHERE ended_at < ?", ps -> setInstant(ps, 1, cutoff));
    }

    // ---- ConnectorStore ---------------------------------------------------------------------

    @Override
    public void createConnector(Connector connector) {
        writeConnector("INSERT INTO connectors (" + CONNECTOR_COLUMNS + ") VALUES (?, ?, ?, ?, ?)", connector);
    }

    @Override
    public void upsertConnector(Connector connector) {
        writeConnector("INSERT INTO connectors (" + CONNECTOR_COLUMNS + ") VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT (id) DO UPDATE SET token_hash = EXCLUDED.token_hash, host = EXCLUDED.host,"
                + " created_at = EXCLUDED.created_at, revoked_at = EXCLUDED.revoked_at", connector);
    }

    private void writeConnector(String sql, Connector connector) {
        jdbc.update("write of connector " + connector.id(), sql, ps -> {
            ps.setString(1, connector.id());
            ps.setString(2, connector.tokenHash());
            setNullableString(ps, 3, connector.host());
            setInstant(ps, 4, connector.createdAt());
            setInstant(ps, 5, connector.revokedAt());
        });
    }

    @Override
    public Optional<Connector> findConnectorByTokenHash(String tokenHash) {
        return jdbc.first("findConnectorByTokenHash",
                "SELECT " + CONNECTOR_COLUMNS + " FROM connectors WHERE token_hash = ?",
                ps -> ps.setString(1, tokenHash), PostgresStore::connector);
    }

    @Override
    public Optional<Connector> findConnector(String id) {
        return jdbc.first("findConnector", "SELECT " + CONNECTOR_COLUMNS + " FROM connectors WHERE id = ?",
                ps -> ps.setString(1, id), PostgresStore::connector);
    }

    @Override
    public List<Connector> listConnectors() {
        return jdbc.query("listConnectors", "SELECT " + CONNECTOR_COLUMNS + " FROM connectors ORDER BY created_at, id",
                ps -> { }, PostgresStore::connector);
    }

    @Override
    public boolean replaceTokenHash(String id, String expected, String replacement) {
        return jdbc.update("token hash upgrade of connector " + id,
                "UPDATE connectors SET token_hash = ? WHERE id = ? AND token_hash = ?", ps -> {
                    ps.setString(1, replacement);
                    ps.setString(2, id);
                    ps.setString(3, expected);
                }) == 1;
    }

    @Override
    public boolean revokeConnector(String id, Instant at) {
        return jdbc.update("revoke of connector " + id, "UPDATE connectors SET revoked_at = ? WHERE id = ?", ps -> {
            setInstant(ps, 1, at);
            ps.setString(2, id);
        }) == 1;
    }

    @Override
    public Set<String> revokedConnectorIds(Instant asOf) {
        return Set.copyOf(jdbc.query("revokedConnectorIds",
                "SELECT id FROM connectors WHERE revoked_at IS NOT NULL AND revoked_at <= ?",
                ps -> setInstant(ps, 1, asOf), rs -> rs.getString(1)));
    }

    // ---- DeskStore --------------------------------------------------------------------------

    @Override
    public void createAgent(DeskAgent agent, String passwordHash) {
        jdbc.update("create of live agent " + agent.name(), "INSERT INTO live_agents (" + AGENT_COLUMNS
                + ", password_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", ps -> {
                    ps.setString(1, agent.id());
                    ps.setString(2, agent.connectorId());
                    ps.setString(3, agent.name());
                    setNullableString(ps, 4, agent.avatarUrl());
                    ps.setArray(5, ps.getConnection().createArrayOf("text", agent.queues().toArray()));
                    ps.setInt(6, agent.capacity());
                    ps.setString(7, agent.role().name());
                    ps.setString(8, passwordHash);
                });
    }

    @Override
    public Optional<DeskAgent> findAgent(String id) {
        return jdbc.first("findAgent", "SELECT " + AGENT_COLUMNS + " FROM live_agents WHERE id = ?",
                ps -> ps.setString(1, id), PostgresStore::agent);
    }

    @Override
    public Optional<DeskAgent> findAgentByName(String name) {
        return jdbc.first("findAgentByName", "SELECT " + AGENT_COLUMNS + " FROM live_agents WHERE name = ?",
                ps -> ps.setString(1, name), PostgresStore::agent);
    }

    @Override
    public Optional<String> passwordHash(String agentId) {
        return jdbc.first("passwordHash", "SELECT password_hash FROM live_agents WHERE id = ?",
                ps -> ps.setString(1, agentId), rs -> rs.getString(1));
    }

    @Override
    public List<DeskAgent> listAgents() {
        return jdbc.query("listAgents", "SELECT " + AGENT_COLUMNS + " FROM live_agents ORDER BY created_at, name",
                ps -> { }, PostgresStore::agent);
    }

    @Override
    public void saveHandoff(HandoffRecord r) {
        jdbc.inTransaction("save of handoff " + r.sessionId(), c -> {
            saveHandoff(c, r);
            return null;
        });
    }

    /** On {@code c}, inside the caller's transaction (the desk leader's fenced writes). */
    void saveHandoff(java.sql.Connection c, HandoffRecord r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO handoffs (" + HANDOFF_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (session_id) DO UPDATE SET"
                + " connector_id = EXCLUDED.connector_id, queue = EXCLUDED.queue, status = EXCLUDED.status,"
                + " enqueued_at = EXCLUDED.enqueued_at, agent_id = EXCLUDED.agent_id,"
                + " assigned_at = EXCLUDED.assigned_at")) {
            ps.setString(1, r.sessionId());
            ps.setString(2, r.connectorId());
            ps.setString(3, r.queue());
            ps.setString(4, r.status().name());
            setInstant(ps, 5, r.enqueuedAt());
            setNullableString(ps, 6, r.agentId());
            setInstant(ps, 7, r.assignedAt());
            ps.executeUpdate();
        }
    }

    @Override
    public void saveWaitingSince(String sessionId, Instant since) {
        jdbc.inTransaction("waiting time of handoff " + sessionId, c -> {
            saveWaitingSince(c, sessionId, since);
            return null;
        });
    }

    void saveWaitingSince(java.sql.Connection c, String sessionId, Instant since) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE handoffs SET waiting_since = ? WHERE session_id = ?")) {
            setInstant(ps, 1, since);
            ps.setString(2, sessionId);
            ps.executeUpdate();
        }
    }

    @Override
    public Map<String, Instant> waitingSinceOfOpenHandoffs() {
        Map<String, Instant> since = new LinkedHashMap<>();
        jdbc.query("waitingSince", "SELECT session_id, waiting_since FROM handoffs WHERE status <> 'CLOSED'"
                        + " AND waiting_since IS NOT NULL", ps -> { },
                rs -> Map.entry(rs.getString(1), instant(rs, 2)))
                .forEach(e -> since.put(e.getKey(), e.getValue()));
        return since;
    }

    @Override
    public List<HandoffRecord> openHandoffs() {
        return jdbc.query("openHandoffs", "SELECT " + HANDOFF_COLUMNS + " FROM handoffs WHERE status <> 'CLOSED'"
                + " ORDER BY enqueued_at, session_id", ps -> { }, PostgresStore::handoff);
    }

    @Override
    public void saveOfflineConversation(OfflineConversation o) {
        jdbc.update("save of offline conversation " + o.sessionId(), "INSERT INTO offline_conversations (session_id,"
                + " connector_id, queue, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (session_id) DO UPDATE SET"
                + " handled_at = NULL, handled_by = NULL", ps -> {
                    ps.setString(1, o.sessionId());
                    ps.setString(2, o.connectorId());
                    ps.setString(3, o.queue());
                    setInstant(ps, 4, o.createdAt());
                });
    }

    @Override
    public List<OfflineConversation> openOfflineConversations() {
        return jdbc.query("openOfflineConversations", "SELECT session_id, connector_id, queue, created_at FROM"
                + " offline_conversations WHERE handled_at IS NULL ORDER BY created_at, session_id", ps -> { },
                rs -> OfflineConversation.opened(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4)));
    }

    @Override
    public boolean markOfflineHandled(String sessionId, String agentId, Instant at) {
        return jdbc.update("handling of offline conversation " + sessionId, "UPDATE offline_conversations SET"
                + " handled_at = ?, handled_by = ? WHERE session_id = ? AND handled_at IS NULL", ps -> {
                    setInstant(ps, 1, at);
                    ps.setString(2, agentId);
                    ps.setString(3, sessionId);
                }) == 1;
    }

    // ---- leases -----------------------------------------------------------------------------

    @Override
    public SessionLeases leases(String nodeId, java.time.Duration ttl) {
        return new PostgresLeases(jdbc, nodeId, ttl);
    }

    @Override
    public Optional<dev.parley.server.store.DeskLeadership> deskLeadership(String nodeId, java.time.Duration ttl) {
        return Optional.of(new PostgresDeskLeadership(jdbc, this, nodeId, ttl));
    }

    // ---- lifecycle --------------------------------------------------------------------------

    @Override
    public void close() {
        pool.close();
    }

    // ---- rows -------------------------------------------------------------------------------

    private static StoredEvent event(ResultSet rs) throws SQLException {
        return new StoredEvent(rs.getString(1), rs.getLong(2), rs.getString(3), EventType.valueOf(rs.getString(4)),
                instant(rs, 5), rs.getString(6), rs.getString(7),
                rs.getObject(8) == null ? null : rs.getLong(8));
    }

    private static SessionRecord session(ResultSet rs) throws SQLException {
        String reason = rs.getString(7);
        return new SessionRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                instant(rs, 5), instant(rs, 6), reason == null ? null : EndReason.valueOf(reason));
    }

    // ---- ContextStore -----------------------------------------------------------------------

    @Override
    public boolean addContextKey(ContextKey key) {
        return jdbc.update("add of context key " + key.keyId() + " of connector " + key.connectorId(),
                "INSERT INTO context_keys (connector_id, key_id, secret, created_at) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT DO NOTHING", ps -> {
                    ps.setString(1, key.connectorId());
                    ps.setString(2, key.keyId());
                    ps.setString(3, key.sealedSecret());
                    setInstant(ps, 4, key.createdAt());
                }) == 1;
    }

    @Override
    public List<ContextKey> listContextKeys(String connectorId) {
        return jdbc.query("listContextKeys", "SELECT connector_id, key_id, secret, created_at FROM context_keys"
                + " WHERE connector_id = ? ORDER BY created_at, key_id", ps -> ps.setString(1, connectorId),
                PostgresStore::contextKey);
    }

    @Override
    public Optional<ContextKey> findContextKey(String connectorId, String keyId) {
        return jdbc.first("findContextKey", "SELECT connector_id, key_id, secret, created_at FROM context_keys"
                + " WHERE connector_id = ? AND key_id = ?", ps -> {
                    ps.setString(1, connectorId);
                    ps.setString(2, keyId);
                }, PostgresStore::contextKey);
    }

    @Override
    public boolean removeContextKey(String connectorId, String keyId) {
        return jdbc.update("removal of context key " + keyId + " of connector " + connectorId,
                "DELETE FROM context_keys WHERE connector_id = ? AND key_id = ?", ps -> {
                    ps.setString(1, connectorId);
                    ps.setString(2, keyId);
                }) == 1;
    }

    @Override
    public void saveSessionContext(StoredContext context) {
        jdbc.update("verified context of session " + context.sessionId(),
                "INSERT INTO session_contexts (session_id, ctx_json, key_id, verified_at) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (session_id) DO UPDATE SET ctx_json = excluded.ctx_json,"
                        + " key_id = excluded.key_id, verified_at = excluded.verified_at", ps -> {
                    ps.setString(1, context.sessionId());
                    ps.setString(2, context.json());
                    ps.setString(3, context.keyId());
                    setInstant(ps, 4, context.verifiedAt());
                });
    }

    @Override
    public Optional<StoredContext> findSessionContext(String sessionId) {
        return jdbc.first("findSessionContext", "SELECT session_id, ctx_json, key_id, verified_at"
                + " FROM session_contexts WHERE session_id = ?", ps -> ps.setString(1, sessionId),
                rs -> new StoredContext(rs.getString(1), rs.getString(2), rs.getString(3), Jdbc.instant(rs, 4)));
    }

    private static ContextKey contextKey(ResultSet rs) throws SQLException {
        return new ContextKey(rs.getString(1), rs.getString(2), rs.getString(3), Jdbc.instant(rs, 4));
    }

    private static Connector connector(ResultSet rs) throws SQLException {
        return new Connector(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4), instant(rs, 5));
    }

    private static DeskAgent agent(ResultSet rs) throws SQLException {
        Array queues = rs.getArray(5);
        return new DeskAgent(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                Arrays.asList((String[]) queues.getArray()), rs.getInt(6),
                DeskAgent.Role.valueOf(rs.getString(7)));
    }

    private static HandoffRecord handoff(ResultSet rs) throws SQLException {
        return new HandoffRecord(rs.getString(1), rs.getString(2), rs.getString(3),
                HandoffRecord.Status.valueOf(rs.getString(4)), instant(rs, 5), rs.getString(6), instant(rs, 7));
    }
}
