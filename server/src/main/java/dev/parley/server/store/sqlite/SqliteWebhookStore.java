package dev.parley.server.store.sqlite;

import dev.parley.server.store.StoreException;
import dev.parley.server.store.StoredEvent;
import dev.parley.server.webhooks.DeadLetter;
import dev.parley.server.webhooks.WebhookDelivery;
import dev.parley.server.webhooks.WebhookEventType;
import dev.parley.server.webhooks.WebhookEvents;
import dev.parley.server.webhooks.WebhookStore;
import dev.parley.server.webhooks.WebhookSubscription;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * {@link WebhookStore} on the embedded SQLite file. One node owns the file, so a claim needs no
 * row locks: it runs in the writer's IMMEDIATE transaction.
 */
final class SqliteWebhookStore implements WebhookStore {
    private static final String SUBSCRIPTION_COLUMNS = "id, url, events, connector_id, sealed_secret, created_at";
    private static final String ENQUEUE = "INSERT OR IGNORE INTO webhook_deliveries (id, subscription_id, event_id,"
            + " event_type, session_id, connector_id, created_at, data, attempts, next_attempt_at)"
            + " SELECT 'whd_' || lower(hex(randomblob(16))), w.id, ?, ?, s.id, s.connector_id, ?, ?, 0, ?"
            + " FROM webhook_subscriptions w JOIN sessions s ON s.id = ?"
            + " WHERE instr(w.events, ?) > 0 AND (w.connector_id IS NULL OR w.connector_id = s.connector_id)";

    private final DataSource readers;
    private final WriterConnection writer;

    SqliteWebhookStore(DataSource readers, WriterConnection writer) {
        this.readers = readers;
        this.writer = writer;
    }

    /**
     * Called inside the journal append's transaction, after the sessions and events are written: one
     * outbox row per subscription that wants each event (none, cheaply, when nobody subscribed).
     */
    static void enqueue(Connection c, List<StoredEvent> events) throws SQLException {
        List<WebhookEvents.Outgoing> owed = events.stream().map(WebhookEvents::of).flatMap(Optional::stream).toList();
        if (owed.isEmpty() || !anySubscription(c)) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(ENQUEUE)) {
            for (WebhookEvents.Outgoing o : owed) {
                bind(ps, o.event().eventId(), o.type(), o.event().sessionId(), o.event().timestamp(), o.data());
                ps.executeUpdate();
            }
        }
    }

    /**
     * Called inside another of the store's transactions for what is not a journaled event (a CSAT
     * rating): one outbox row per subscription that wants {@code type}, committed with that write.
     */
    static void enqueue(Connection c, String eventId, WebhookEventType type, String sessionId, Instant at, String data)
            throws SQLException {
        if (!anySubscription(c)) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(ENQUEUE)) {
            bind(ps, eventId, type, sessionId, at, data);
            ps.executeUpdate();
        }
    }

    private static void bind(PreparedStatement ps, String eventId, WebhookEventType type, String sessionId, Instant at,
                             String data) throws SQLException {
        ps.setString(1, eventId);
        ps.setString(2, type.wireName());
        ps.setLong(3, at.toEpochMilli());
        ps.setString(4, data);
        ps.setLong(5, at.toEpochMilli());
        ps.setString(6, sessionId);
        ps.setString(7, "," + type.wireName() + ",");
    }

    /** One cheap look per append, so a node without webhooks pays nothing per message. */
    private static boolean anySubscription(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM webhook_subscriptions LIMIT 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    @Override
    public void addSubscription(WebhookSubscription s) {
        writer.inTransaction("create of webhook " + s.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO webhook_subscriptions (" + SUBSCRIPTION_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, s.id());
                ps.setString(2, s.url());
                ps.setString(3, eventsColumn(s));
                ps.setString(4, s.connectorId());
                ps.setString(5, s.sealedSecret());
                ps.setLong(6, s.createdAt().toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<WebhookSubscription> listSubscriptions() {
        return query("listWebhooks", "SELECT " + SUBSCRIPTION_COLUMNS + " FROM webhook_subscriptions ORDER BY created_at, id",
                ps -> { }, SqliteWebhookStore::subscription);
    }

    @Override
    public Optional<WebhookSubscription> findSubscription(String id) {
        return query("findWebhook", "SELECT " + SUBSCRIPTION_COLUMNS + " FROM webhook_subscriptions WHERE id = ?",
                ps -> ps.setString(1, id), SqliteWebhookStore::subscription).stream().findFirst();
    }

    @Override
    public boolean removeSubscription(String id) {
        return writer.inTransaction("removal of webhook " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM webhook_deliveries WHERE subscription_id = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM webhook_subscriptions WHERE id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public List<WebhookDelivery> claim(String owner, Instant now, Instant leaseUntil, int limit) {
        // Looked for on a reader first: an idle outbox (the usual case) never takes the journal's write lock.
        boolean anyDue = !query("dueWebhooks", "SELECT 1 FROM webhook_deliveries WHERE dead_at IS NULL"
                + " AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?) LIMIT 1", ps -> {
                    ps.setLong(1, now.toEpochMilli());
                    ps.setLong(2, now.toEpochMilli());
                }, rs -> true).isEmpty();
        if (!anyDue) {
            return List.of();
        }
        return writer.inTransaction("claim of webhook deliveries", c -> {
            List<WebhookDelivery> claimed = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT d.id, d.subscription_id, w.url, w.sealed_secret,"
                    + " d.event_id, d.event_type, d.session_id, d.connector_id, d.created_at, d.data, d.attempts + 1"
                    + " FROM webhook_deliveries d JOIN webhook_subscriptions w ON w.id = d.subscription_id"
                    + " WHERE d.dead_at IS NULL AND d.next_attempt_at <= ? AND (d.lease_until IS NULL OR d.lease_until <= ?)"
                    + " ORDER BY d.next_attempt_at, d.id LIMIT ?")) {
                ps.setLong(1, now.toEpochMilli());
                ps.setLong(2, now.toEpochMilli());
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        claimed.add(new WebhookDelivery(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                                Instant.ofEpochMilli(rs.getLong(9)), rs.getString(10), rs.getInt(11)));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_deliveries SET attempts = attempts + 1,"
                    + " lease_owner = ?, lease_until = ? WHERE id = ?")) {
                for (WebhookDelivery d : claimed) {
                    ps.setString(1, owner);
                    ps.setLong(2, leaseUntil.toEpochMilli());
                    ps.setString(3, d.id());
                    ps.executeUpdate();
                }
            }
            return claimed;
        });
    }

    @Override
    public void delivered(String deliveryId) {
        update("delivery of " + deliveryId, "DELETE FROM webhook_deliveries WHERE id = ?", ps -> ps.setString(1, deliveryId));
    }

    @Override
    public void retryLater(String deliveryId, String owner, Instant nextAttemptAt, String error) {
        update("retry of " + deliveryId, "UPDATE webhook_deliveries SET next_attempt_at = ?, lease_owner = NULL,"
                + " lease_until = NULL, last_error = ? WHERE id = ? AND lease_owner = ?", ps -> {
                    ps.setLong(1, nextAttemptAt.toEpochMilli());
                    ps.setString(2, error);
                    ps.setString(3, deliveryId);
                    ps.setString(4, owner);
                });
    }

    @Override
    public void deadLetter(String deliveryId, String owner, Instant at, String error) {
        update("dead letter " + deliveryId, "UPDATE webhook_deliveries SET dead_at = ?, lease_owner = NULL,"
                + " lease_until = NULL, last_error = ? WHERE id = ? AND lease_owner = ?", ps -> {
                    ps.setLong(1, at.toEpochMilli());
                    ps.setString(2, error);
                    ps.setString(3, deliveryId);
                    ps.setString(4, owner);
                });
    }

    @Override
    public List<DeadLetter> deadLetters(String subscriptionId) {
        return query("deadLetters", "SELECT id, subscription_id, event_type, session_id, attempts, dead_at, last_error"
                + " FROM webhook_deliveries WHERE dead_at IS NOT NULL AND (? IS NULL OR subscription_id = ?)"
                + " ORDER BY dead_at, id", ps -> {
                    ps.setString(1, subscriptionId);
                    ps.setString(2, subscriptionId);
                }, rs -> new DeadLetter(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                        Instant.ofEpochMilli(rs.getLong(6)), rs.getString(7)));
    }

    @Override
    public boolean retryDeadLetter(String deliveryId, Instant now) {
        return update("retry of dead letter " + deliveryId, "UPDATE webhook_deliveries SET dead_at = NULL, attempts = 0,"
                + " next_attempt_at = ? WHERE id = ? AND dead_at IS NOT NULL", ps -> {
                    ps.setLong(1, now.toEpochMilli());
                    ps.setString(2, deliveryId);
                }) == 1;
    }

    @Override
    public int pendingCount(String subscriptionId) {
        return query("pendingWebhooks", "SELECT count(*) FROM webhook_deliveries WHERE dead_at IS NULL AND subscription_id = ?",
                ps -> ps.setString(1, subscriptionId), rs -> rs.getInt(1)).get(0);
    }

    // ---- helpers -------------------------------------------------------------------------------

    static String eventsColumn(WebhookSubscription s) {
        return s.events().stream().map(WebhookEventType::wireName).sorted().collect(Collectors.joining(",", ",", ","));
    }

    static java.util.Set<WebhookEventType> events(String column) {
        return Arrays.stream(column.split(",")).filter(n -> !n.isEmpty()).map(WebhookEventType::fromWireName)
                .flatMap(Optional::stream).collect(Collectors.toSet());
    }

    private static WebhookSubscription subscription(ResultSet rs) throws SQLException {
        return new WebhookSubscription(rs.getString(1), rs.getString(2), events(rs.getString(3)), rs.getString(4),
                rs.getString(5), Instant.ofEpochMilli(rs.getLong(6)));
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    @FunctionalInterface
    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private int update(String what, String sql, Binder binder) {
        return writer.inTransaction(what, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                return ps.executeUpdate();
            }
        });
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
}
