package dev.parley.server.desk.canned;

import java.time.Instant;
import java.util.Objects;

/**
 * A reply a team keeps ready. {@code queue} null means every queue of the connector. The shortcut is
 * unique per connector and queue (an all-queues reply and a queue's own may share one: the agent sees both).
 * The text may hold placeholders ({@code {{customer.name}}}, {@code {{agent.name}}}, {@code {{queue}}}) that
 * the desk page fills before the agent sends it.
 */
public record CannedReply(String id, String connectorId, String queue, String shortcut, String title, String text,
                          Instant createdAt, Instant updatedAt) {
    public static final int MAX_TEXT_CHARS = 4000;
    public static final int MAX_TITLE_CHARS = 200;
    /** A short slug: what follows {@code /} in the composer. */
    public static final String SHORTCUT_PATTERN = "[a-z0-9][a-z0-9_-]{0,31}";

    public CannedReply {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(connectorId, "connectorId");
        Objects.requireNonNull(shortcut, "shortcut");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    public boolean allQueues() {
        return queue == null;
    }

    /** Whether an agent serving {@code queue} can use it there. */
    public boolean usableIn(String queue) {
        return this.queue == null || this.queue.equals(queue);
    }
}
