package dev.parley.bench.load;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Lengthens a session's history by writing to Parley's SQLite journal while Parley is stopped.
 * Filling 100k events through the protocol takes minutes (one session's messages are committed one
 * after another), so the session is started through the protocol and then extended here with copies
 * of its last stored user message, each with its own id, sequence, message id and client event id.
 */
final class StoreFill {
    private StoreFill() {
    }

    /** Appends events until the session's last sequence is {@code target}; returns the new last sequence. */
    static long extend(Path database, String sessionId, long target) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database)) {
            c.setAutoCommit(false);
            long last;
            String json;
            long ts;
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT seq, json, ts FROM events WHERE session_id = ? AND type = 'USER_MESSAGE' ORDER BY seq DESC LIMIT 1")) {
                q.setString(1, sessionId);
                try (ResultSet r = q.executeQuery()) {
                    if (!r.next()) {
                        throw new SQLException("session " + sessionId + " has no stored user message to copy");
                    }
                    json = r.getString(2);
                    ts = r.getLong(3);
                }
            }
            try (PreparedStatement q = c.prepareStatement("SELECT MAX(seq) FROM events WHERE session_id = ?")) {
                q.setString(1, sessionId);
                try (ResultSet r = q.executeQuery()) {
                    r.next();
                    last = r.getLong(1);
                }
            }
            String template = json.replaceFirst("\"id\":\"[^\"]*\"", "\"id\":\"%ID%\"")
                    .replaceFirst("\"sequence\":\\d+", "\"sequence\":%SEQ%")
                    .replaceFirst("\"message_id\":\"[^\"]*\"", "\"message_id\":\"msg_%MSG%\"")
                    .replaceFirst("\"client_event_id\":\"[^\"]*\"", "\"client_event_id\":\"%CID%\"");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO events "
                    + "(session_id, seq, event_id, type, ts, json, client_event_id) VALUES (?, ?, ?, 'USER_MESSAGE', ?, ?, ?)")) {
                for (long seq = last + 1; seq <= target; seq++) {
                    String id = UUID.randomUUID().toString();
                    String cid = "fill-" + seq;
                    insert.setString(1, sessionId);
                    insert.setLong(2, seq);
                    insert.setString(3, id);
                    insert.setLong(4, ts);
                    insert.setString(5, template.replace("%ID%", id).replace("%SEQ%", Long.toString(seq))
                            .replace("%MSG%", id.replace("-", "")).replace("%CID%", cid));
                    insert.setString(6, cid);
                    insert.addBatch();
                    if (seq % 5000 == 0) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
            }
            c.commit();
            return Math.max(last, target);
        }
    }
}
