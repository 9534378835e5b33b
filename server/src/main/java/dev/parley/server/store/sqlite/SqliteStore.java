package dev.parley.server.store.sqlite;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.parley.protocol.EndReason;
import dev.parley.protocol.EventType;
import dev.parley.server.datadir.OwnerOnly;
import dev.parley.server.desk.DeskAgent;
import dev.parley.server.desk.HandoffRecord;
import dev.parley.server.desk.OfflineConversation;
import dev.parley.server.store.Connector;
import dev.parley.server.store.ContextKey;
import dev.parley.server.store.StoredContext;
import dev.parley.server.store.MessageText;
import dev.parley.server.store.NodeStore;
import dev.parley.server.store.SessionEndMark;
import dev.parley.server.store.SessionRecord;
import dev.parley.server.store.StoreException;
import dev.parley.server.store.StoredEvent;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteDataSource;
import dev.parley.server.config.StoreConfig;
import dev.parley.server.store.migration.SchemaMigrations;

/**
 * The journal, sessions, connectors and the live-agent desk in one embedded SQLite file, {@code <dataDir>/parley.db}.
 *
 * <p>Reads go through a small pool; all writes go through one dedicated connection (SQLite has a
 * single writer per file). Every call blocks, so callers keep it off event-loop threads. The file
 * may be written by another process (the admin CLI) at the same time: that process's writes wait
 * on SQLite's busy timeout rather than failing.
 */
public final class SqliteStore implements NodeStore {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteStore.class);

    /** Readers rarely wait on each other in WAL mode; a few connections cover a 2-core host. */
    private static final int READ_POOL_SIZE = 4;

    private static final String DB_FILE = "parley.db";
    /** What SQLite keeps next to the database: the WAL, its shared-memory index, a rollback journal. */
    private static final List<String> SIDE_FILE_SUFFIXES = List.of("-wal", "-shm", "-journal");

    private static final String EVENT_COLUMNS = "session_id, seq, event_id, type, ts, json, client_event_id, answers_seq";
    private static final String SESSION_COLUMNS =
            "id, connector_id, platform, streaming, created_at, ended_at, end_reason";
    private static final String CONNECTOR_COLUMNS = "id, token_hash, host, created_at, revoked_at";
    private static final String AGENT_COLUMNS = "id, connector_id, name, avatar_url, queues, capacity, role";
    private static final String HANDOFF_COLUMNS =
            "session_id, connector_id, queue, status, enqueued_at, agent_id, assigned_at";

    private final HikariDataSource readers;
    private final WriterConnection writer;
    private final SqliteOperatorStore operators;
    private final SqliteWebhookStore webhooks;
    private final SqliteNoteStore notes;
    private final SqliteCsatStore csat;

    private SqliteStore(HikariDataSource readers, WriterConnection writer) {
        this.readers = readers;
        this.writer = writer;
        this.operators = new SqliteOperatorStore(readers, writer);
        this.webhooks = new SqliteWebhookStore(readers, writer);
        this.notes = new SqliteNoteStore(readers, writer);
        this.csat = new SqliteCsatStore(readers, writer);
    }

    @Override
    public dev.parley.server.desk.notes.NoteStore notes() {
        return notes;
    }

    @Override
    public dev.parley.server.desk.canned.CannedReplyStore cannedReplies() {
        return new SqliteCannedReplyStore(readers, writer);
    }

    @Override
    public dev.parley.server.csat.CsatStore csat() {
        return csat;
    }

    @Override
    public dev.parley.server.webhooks.WebhookStore webhooks() {
        return webhooks;
    }

    @Override
    public dev.parley.server.store.OperatorStore operators() {
        return operators;
    }

    /** Opens (creating if needed) the store in {@code dataDir} and brings its schema up to date. */
    public static SqliteStore open(Path dataDir) {
        return open(dataDir, true);
    }

    /**
     * Opens (creating if needed) the store in {@code dataDir}; with {@code migrate} it brings the
     * schema up to date, without it refuses a schema that is behind ({@code store.migrate_on_start}).
     */
    public static SqliteStore open(Path dataDir, boolean migrate) {
        Path dbFile = ownerOnlyFiles(dataDir);
        SQLiteDataSource dataSource = SqliteDataSources.forFile(dbFile);
        SchemaMigrations.of(dataSource, StoreConfig.Kind.SQLITE, dbFile.toString()).onOpen(migrate);
        WriterConnection writer;
        try {
            writer = new WriterConnection(dataSource);
        } catch (SQLException e) {
            throw new StoreException("cannot open " + dbFile + ": " + e.getMessage(), e);
        }
        HikariDataSource readers;
        try {
            readers = readPool(dataSource);
        } catch (RuntimeException e) {
            closeQuietly(writer);
            throw new StoreException("cannot open read pool on " + dbFile + ": " + e.getMessage(), e);
        }
        LOG.info("journal opened at {}", dbFile);
        return new SqliteStore(readers, writer);
    }

    /**
     * Makes the directory 0700 and the database 0600 before SQLite opens it: SQLite creates the
     * -wal and -shm files with the database file's mode, so they are private from their first byte.
     * Such files left over from an older, laxer version are tightened too.
     */
    private static Path ownerOnlyFiles(Path dataDir) {
        try {
            Path dbFile = OwnerOnly.file(OwnerOnly.directory(dataDir).resolve(DB_FILE));
            for (String suffix : SIDE_FILE_SUFFIXES) {
                OwnerOnly.restrictIfPresent(dataDir.resolve(DB_FILE + suffix));
            }
            return dbFile;
        } catch (UncheckedIOException e) {
            throw new StoreException(e.getMessage(), e.getCause());
        }
    }

    private static void closeQuietly(WriterConnection writer) {
        try {
            writer.close();
        } catch (SQLException e) {
            LOG.warn("cannot close writer connection: {}", e.getMessage());
        }
    }

    /**
     * The connection settings of the database file in {@code dataDir} (created 0600 if missing), for
     * what works on the file without a store: schema migrations, export and import.
     */
    public static SQLiteDataSource dataSource(Path dataDir) {
        return SqliteDataSources.forFile(ownerOnlyFiles(dataDir));
    }

    /** The database file of {@code dataDir}. */
    public static Path databaseFile(Path dataDir) {
        return dataDir.resolve(DB_FILE);
    }

    private static HikariDataSource readPool(SQLiteDataSource dataSource) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("parley-sqlite-read");
        config.setDataSource(dataSource);
        config.setMaximumPoolSize(READ_POOL_SIZE);
        config.setMinimumIdle(1);
        // A guard, not a permission model: a read connection that tried to write would contend
        // with the writer connection for the file lock.
        config.setConnectionInitSql("PRAGMA query_only = 1");
        return new HikariDataSource(config);
    }

    // ---- EventStore -------------------------------------------------------------------------

    @Override
    public void append(List<SessionRecord> newSessions, List<StoredEvent> events) {
        if (newSessions.isEmpty() && events.isEmpty()) {
            return;
        }
        // Parsed before the transaction so the write lock is not held while reading JSON.
        Map<String, SessionEndMark> ends = SessionEndMark.findIn(events);
        List<MessageText> texts = MessageText.findIn(events);
        Map<String, Long> lastActivity = new LinkedHashMap<>();
        for (StoredEvent e : events) {
            lastActivity.merge(e.sessionId(), e.timestamp().toEpochMilli(), Math::max);
        }
        writer.inTransaction("append of " + newSessions.size() + " sessions and " + events.size() + " events", c -> {
            insertSessions(c, newSessions);
            insertEvents(c, events);
            SqliteWebhookStore.enqueue(c, events); // the outbox commits with the events it is owed for
            indexTexts(c, texts);
            touchSessions(c, lastActivity);
            markEnded(c, ends.values());
            return null;
        });
    }

    private static void insertSessions(Connection c, List<SessionRecord> sessions) throws SQLException {
        if (sessions.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO sessions (" + SESSION_COLUMNS + ", last_activity_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (SessionRecord session : sessions) {
                ps.setString(1, session.id());
                ps.setString(2, session.connectorId());
                ps.setString(3, session.platform());
                ps.setInt(4, session.streaming() ? 1 : 0);
                ps.setLong(5, session.createdAt().toEpochMilli());
                setNullableMillis(ps, 6, session.endedAt());
                setNullableString(ps, 7, session.endReason() == null ? null : session.endReason().name());
                // touchSessions raises it to the newest event of the batch (its SESSION_START).
                ps.setLong(8, session.createdAt().toEpochMilli());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void insertEvents(Connection c, List<StoredEvent> events) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO events (" + EVENT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (StoredEvent e : events) {
                ps.setString(1, e.sessionId());
                ps.setLong(2, e.sequence());
                ps.setString(3, e.eventId());
                ps.setString(4, e.type().name());
                ps.setLong(5, e.timestamp().toEpochMilli());
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

    private static void touchSessions(Connection c, Map<String, Long> lastActivity) throws SQLException {
        // MAX: an out-of-order batch never moves a session's activity clock backwards.
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE sessions SET last_activity_at = MAX(last_activity_at, ?) WHERE id = ?")) {
            for (Map.Entry<String, Long> e : lastActivity.entrySet()) {
                ps.setLong(1, e.getValue());
                ps.setString(2, e.getKey());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void markEnded(Connection c, Iterable<SessionEndMark> ends) throws SQLException {
        // The first end wins: a session ends once.
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL")) {
            for (SessionEndMark end : ends) {
                ps.setLong(1, end.endedAt().toEpochMilli());
                ps.setString(2, end.reason().name());
                ps.setString(3, end.sessionId());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public List<StoredEvent> readAfter(String sessionId, long afterSequence, int limit) {
        return query("readAfter",
                "SELECT " + EVENT_COLUMNS + " FROM events WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                ps -> {
                    ps.setString(1, sessionId);
                    ps.setLong(2, afterSequence);
                    ps.setInt(3, limit);
                },
                SqliteStore::event);
    }

    @Override
    public long headSequence(String sessionId) {
        return query("headSequence",
                "SELECT COALESCE(MAX(seq), 0) FROM events WHERE session_id = ?",
                ps -> ps.setString(1, sessionId),
                rs -> rs.getLong(1)).get(0);
    }

    @Override
    public Optional<StoredEvent> findByClientEventId(String sessionId, String clientEventId) {
        return first(query("findByClientEventId",
                "SELECT " + EVENT_COLUMNS + " FROM events WHERE session_id = ? AND client_event_id = ?",
                ps -> {
                    ps.setString(1, sessionId);
                    ps.setString(2, clientEventId);
                },
                SqliteStore::event));
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
        return first(query("findSession",
                "SELECT " + SESSION_COLUMNS + " FROM sessions WHERE id = ?",
                ps -> ps.setString(1, sessionId),
                SqliteStore::session));
    }

    @Override
    public List<SessionRecord> openSessions() {
        return query("openSessions",
                "SELECT " + SESSION_COLUMNS + " FROM sessions WHERE ended_at IS NULL ORDER BY created_at",
                ps -> { },
                SqliteStore::session);
    }

    @Override
    public int purgeEndedBefore(Instant cutoff) {
        long cutoffMillis = cutoff.toEpochMilli();
        return writer.inTransaction("purge", c -> {
            // Events, handoffs and verified contexts first: they reference their session.
            try (PreparedStatement contexts = c.prepareStatement(
                    "DELETE FROM session_contexts WHERE session_id IN (SELECT id FROM sessions WHERE ended_at < ?)")) {
                contexts.setLong(1, cutoffMillis);
                contexts.executeUpdate();
            }
            try (PreparedStatement handoffs = c.prepareStatement(
                    "DELETE FROM handoffs WHERE session_id IN (SELECT id FROM sessions WHERE ended_at < ?)")) {
                handoffs.setLong(1, cutoffMillis);
                handoffs.executeUpdate();
            }
            try (PreparedStatement offline = c.prepareStatement(
                    "DELETE FROM offline_conversations WHERE session_id IN (SELECT id FROM sessions WHERE ended_at < ?)")) {
                offline.setLong(1, cutoffMillis);
                offline.executeUpdate();
            }
            try (PreparedStatement notes = c.prepareStatement( // the desk's internal notes hold content
                    "DELETE FROM desk_notes WHERE session_id IN (SELECT id FROM sessions WHERE ended_at < ?)")) {
                notes.setLong(1, cutoffMillis);
                notes.executeUpdate();
            }
            try (PreparedStatement ratings = c.prepareStatement( // comments are the user's words
                    "DELETE FROM csat_ratings WHERE session_id IN (SELECT id FROM sessions WHERE ended_at < ?)")) {
                ratings.setLong(1, cutoffMillis);
                ratings.executeUpdate();
            }
            try (PreparedStatement deliveries = c.prepareStatement( // webhook payloads hold content
                    "DELETE FROM webhook_deliveries WHERE session_id IN (SELECT id FROM sessions WHERE ended_at < ?)")) {
                deliveries.setLong(1, cutoffMillis);
                deliveries.executeUpdate();
            }
            try (PreparedStatement events = c.prepareStatement(
                    "DELETE FROM events WHERE session_id IN (SELECT id FROM sessions WHERE ended_at < ?)");
                 PreparedStatement sessions = c.prepareStatement("DELETE FROM sessions WHERE ended_at < ?")) {
                events.setLong(1, cutoffMillis);
                events.executeUpdate();
                sessions.setLong(1, cutoffMillis);
                return sessions.executeUpdate();
            }
        });
    }

    // ---- ConnectorStore ---------------------------------------------------------------------

    @Override
    public void createConnector(Connector connector) {
        writeConnector("INSERT INTO connectors (" + CONNECTOR_COLUMNS + ") VALUES (?, ?, ?, ?, ?)", connector);
    }

    @Override
    public void upsertConnector(Connector connector) {
        // ON CONFLICT ... DO UPDATE rather than INSERT OR REPLACE: REPLACE deletes the old row,
        // which sessions reference through a foreign key.
        writeConnector("INSERT INTO connectors (" + CONNECTOR_COLUMNS + ") VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT (id) DO UPDATE SET token_hash = excluded.token_hash, host = excluded.host,"
                + " created_at = excluded.created_at, revoked_at = excluded.revoked_at", connector);
    }

    private void writeConnector(String sql, Connector connector) {
        writer.inTransaction("write of connector " + connector.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, connector.id());
                ps.setString(2, connector.tokenHash());
                setNullableString(ps, 3, connector.host());
                ps.setLong(4, connector.createdAt().toEpochMilli());
                setNullableMillis(ps, 5, connector.revokedAt());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<Connector> findConnectorByTokenHash(String tokenHash) {
        return first(query("findConnectorByTokenHash",
                "SELECT " + CONNECTOR_COLUMNS + " FROM connectors WHERE token_hash = ?",
                ps -> ps.setString(1, tokenHash),
                SqliteStore::connector));
    }

    @Override
    public Optional<Connector> findConnector(String id) {
        return first(query("findConnector",
                "SELECT " + CONNECTOR_COLUMNS + " FROM connectors WHERE id = ?",
                ps -> ps.setString(1, id),
                SqliteStore::connector));
    }

    @Override
    public List<Connector> listConnectors() {
        return query("listConnectors",
                "SELECT " + CONNECTOR_COLUMNS + " FROM connectors ORDER BY created_at, id",
                ps -> { },
                SqliteStore::connector);
    }

    @Override
    public boolean replaceTokenHash(String id, String expected, String replacement) {
        return writer.inTransaction("token hash upgrade of connector " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE connectors SET token_hash = ? WHERE id = ? AND token_hash = ?")) {
                ps.setString(1, replacement);
                ps.setString(2, id);
                ps.setString(3, expected);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean revokeConnector(String id, Instant at) {
        return writer.inTransaction("revoke of connector " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE connectors SET revoked_at = ? WHERE id = ?")) {
                ps.setLong(1, at.toEpochMilli());
                ps.setString(2, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Set<String> revokedConnectorIds(Instant asOf) {
        // A scan of the connectors table, which holds one row per integration: no index needed.
        return Set.copyOf(query("revokedConnectorIds",
                "SELECT id FROM connectors WHERE revoked_at IS NOT NULL AND revoked_at <= ?",
                ps -> ps.setLong(1, asOf.toEpochMilli()),
                rs -> rs.getString(1)));
    }

    // ---- DeskStore --------------------------------------------------------------------------

    @Override
    public void createAgent(DeskAgent agent, String passwordHash) {
        writer.inTransaction("create of live agent " + agent.name(), c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO live_agents (" + AGENT_COLUMNS
                    + ", password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, agent.id());
                ps.setString(2, agent.connectorId());
                ps.setString(3, agent.name());
                setNullableString(ps, 4, agent.avatarUrl());
                ps.setString(5, String.join(",", agent.queues()));
                ps.setInt(6, agent.capacity());
                ps.setString(7, agent.role().name());
                ps.setString(8, passwordHash);
                ps.setLong(9, System.currentTimeMillis());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<DeskAgent> findAgent(String id) {
        return first(query("findAgent", "SELECT " + AGENT_COLUMNS + " FROM live_agents WHERE id = ?",
                ps -> ps.setString(1, id), SqliteStore::agent));
    }

    @Override
    public Optional<DeskAgent> findAgentByName(String name) {
        return first(query("findAgentByName", "SELECT " + AGENT_COLUMNS + " FROM live_agents WHERE name = ?",
                ps -> ps.setString(1, name), SqliteStore::agent));
    }

    @Override
    public Optional<String> passwordHash(String agentId) {
        return first(query("passwordHash", "SELECT password_hash FROM live_agents WHERE id = ?",
                ps -> ps.setString(1, agentId), rs -> rs.getString(1)));
    }

    @Override
    public List<DeskAgent> listAgents() {
        return query("listAgents", "SELECT " + AGENT_COLUMNS + " FROM live_agents ORDER BY created_at, name",
                ps -> { }, SqliteStore::agent);
    }

    @Override
    public void saveHandoff(HandoffRecord r) {
        writer.inTransaction("save of handoff " + r.sessionId(), c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO handoffs (" + HANDOFF_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (session_id) DO UPDATE SET"
                    + " connector_id = excluded.connector_id, queue = excluded.queue, status = excluded.status,"
                    + " enqueued_at = excluded.enqueued_at, agent_id = excluded.agent_id,"
                    + " assigned_at = excluded.assigned_at")) {
                ps.setString(1, r.sessionId());
                ps.setString(2, r.connectorId());
                ps.setString(3, r.queue());
                ps.setString(4, r.status().name());
                ps.setLong(5, r.enqueuedAt().toEpochMilli());
                setNullableString(ps, 6, r.agentId());
                setNullableMillis(ps, 7, r.assignedAt());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void saveWaitingSince(String sessionId, Instant since) {
        writer.inTransaction("waiting time of handoff " + sessionId, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE handoffs SET waiting_since = ? WHERE session_id = ?")) {
                ps.setLong(1, since.toEpochMilli());
                ps.setString(2, sessionId);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Map<String, Instant> waitingSinceOfOpenHandoffs() {
        Map<String, Instant> since = new LinkedHashMap<>();
        query("waitingSince", "SELECT session_id, waiting_since FROM handoffs WHERE status <> 'CLOSED'"
                + " AND waiting_since IS NOT NULL", ps -> { },
                rs -> Map.entry(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2))))
                .forEach(e -> since.put(e.getKey(), e.getValue()));
        return since;
    }

    @Override
    public List<HandoffRecord> openHandoffs() {
        return query("openHandoffs", "SELECT " + HANDOFF_COLUMNS + " FROM handoffs WHERE status <> 'CLOSED'"
                + " ORDER BY enqueued_at, session_id", ps -> { }, SqliteStore::handoff);
    }

    @Override
    public void saveOfflineConversation(OfflineConversation o) {
        writer.inTransaction("save of offline conversation " + o.sessionId(), c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO offline_conversations (session_id,"
                    + " connector_id, queue, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (session_id) DO UPDATE SET"
                + " handled_at = NULL, handled_by = NULL")) {
                ps.setString(1, o.sessionId());
                ps.setString(2, o.connectorId());
                ps.setString(3, o.queue());
                ps.setLong(4, o.createdAt().toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<OfflineConversation> openOfflineConversations() {
        return query("openOfflineConversations", "SELECT session_id, connector_id, queue, created_at FROM"
                + " offline_conversations WHERE handled_at IS NULL ORDER BY created_at, session_id", ps -> { },
                rs -> OfflineConversation.opened(rs.getString(1), rs.getString(2), rs.getString(3),
                        Instant.ofEpochMilli(rs.getLong(4))));
    }

    @Override
    public boolean markOfflineHandled(String sessionId, String agentId, Instant at) {
        return writer.inTransaction("handling of offline conversation " + sessionId, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE offline_conversations SET handled_at = ?,"
                    + " handled_by = ? WHERE session_id = ? AND handled_at IS NULL")) {
                ps.setLong(1, at.toEpochMilli());
                ps.setString(2, agentId);
                ps.setString(3, sessionId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    private static DeskAgent agent(ResultSet rs) throws SQLException {
        String queues = rs.getString(5);
        return new DeskAgent(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                queues.isEmpty() ? List.of() : Arrays.asList(queues.split(",")), rs.getInt(6),
                DeskAgent.Role.valueOf(rs.getString(7)));
    }

    private static HandoffRecord handoff(ResultSet rs) throws SQLException {
        return new HandoffRecord(rs.getString(1), rs.getString(2), rs.getString(3),
                HandoffRecord.Status.valueOf(rs.getString(4)), Instant.ofEpochMilli(rs.getLong(5)),
                rs.getString(6), nullableInstant(rs, 7));
    }

    // ---- lifecycle --------------------------------------------------------------------------

    @Override
    public void close() {
        readers.close();
        try {
            writer.close();
        } catch (SQLException e) {
            throw new StoreException("cannot close the journal: " + e.getMessage(), e);
        }
    }

    // ---- ContextStore -----------------------------------------------------------------------

    @Override
    public boolean addContextKey(ContextKey key) {
        return writer.inTransaction("add of context key " + key.keyId() + " of connector " + key.connectorId(), c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO context_keys"
                    + " (connector_id, key_id, secret, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                ps.setString(1, key.connectorId());
                ps.setString(2, key.keyId());
                ps.setString(3, key.sealedSecret());
                ps.setLong(4, key.createdAt().toEpochMilli());
                return ps.executeUpdate();
            }
        }) == 1;
    }

    @Override
    public List<ContextKey> listContextKeys(String connectorId) {
        return query("listContextKeys", "SELECT connector_id, key_id, secret, created_at FROM context_keys"
                + " WHERE connector_id = ? ORDER BY created_at, key_id", ps -> ps.setString(1, connectorId),
                SqliteStore::contextKey);
    }

    @Override
    public Optional<ContextKey> findContextKey(String connectorId, String keyId) {
        return first(query("findContextKey", "SELECT connector_id, key_id, secret, created_at FROM context_keys"
                + " WHERE connector_id = ? AND key_id = ?", ps -> {
                    ps.setString(1, connectorId);
                    ps.setString(2, keyId);
                }, SqliteStore::contextKey));
    }

    @Override
    public boolean removeContextKey(String connectorId, String keyId) {
        return writer.inTransaction("removal of context key " + keyId + " of connector " + connectorId, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM context_keys WHERE connector_id = ? AND key_id = ?")) {
                ps.setString(1, connectorId);
                ps.setString(2, keyId);
                return ps.executeUpdate();
            }
        }) == 1;
    }

    @Override
    public void saveSessionContext(StoredContext context) {
        writer.inTransaction("verified context of session " + context.sessionId(), c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO session_contexts"
                    + " (session_id, ctx_json, key_id, verified_at) VALUES (?, ?, ?, ?) ON CONFLICT (session_id)"
                    + " DO UPDATE SET ctx_json = excluded.ctx_json, key_id = excluded.key_id,"
                    + " verified_at = excluded.verified_at")) {
                ps.setString(1, context.sessionId());
                ps.setString(2, context.json());
                ps.setString(3, context.keyId());
                ps.setLong(4, context.verifiedAt().toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<StoredContext> findSessionContext(String sessionId) {
        return first(query("findSessionContext", "SELECT session_id, ctx_json, key_id, verified_at"
                + " FROM session_contexts WHERE session_id = ?", ps -> ps.setString(1, sessionId),
                rs -> new StoredContext(rs.getString(1), rs.getString(2), rs.getString(3),
                        Instant.ofEpochMilli(rs.getLong(4)))));
    }

    private static ContextKey contextKey(ResultSet rs) throws SQLException {
        return new ContextKey(rs.getString(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)));
    }

    // ---- reading helpers --------------------------------------------------------------------

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    @FunctionalInterface
    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String what, String sql, Binder binder, RowMapper<T> mapper) {
        try (Connection c = readers.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new StoreException(what + " failed: " + e.getMessage(), e);
        }
    }

    private static <T> Optional<T> first(List<T> rows) {
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private static StoredEvent event(ResultSet rs) throws SQLException {
        return new StoredEvent(
                rs.getString(1),
                rs.getLong(2),
                rs.getString(3),
                EventType.valueOf(rs.getString(4)),
                Instant.ofEpochMilli(rs.getLong(5)),
                rs.getString(6),
                rs.getString(7),
                rs.getObject(8) == null ? null : rs.getLong(8));
    }

    private static SessionRecord session(ResultSet rs) throws SQLException {
        String reason = rs.getString(7);
        return new SessionRecord(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getInt(4) != 0,
                Instant.ofEpochMilli(rs.getLong(5)),
                nullableInstant(rs, 6),
                reason == null ? null : EndReason.valueOf(reason));
    }

    private static Connector connector(ResultSet rs) throws SQLException {
        return new Connector(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                Instant.ofEpochMilli(rs.getLong(4)),
                nullableInstant(rs, 5));
    }

    private static Instant nullableInstant(ResultSet rs, int column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    private static void setNullableString(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }

    private static void setNullableMillis(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setLong(index, value.toEpochMilli());
        }
    }
}
