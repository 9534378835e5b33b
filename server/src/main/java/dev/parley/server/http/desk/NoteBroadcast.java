package dev.parley.server.http.desk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.codec.Json;
import dev.parley.server.desk.notes.DeskNote;
import dev.parley.server.fanout.FanOut;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes a stored note, as {@code desk.note}, to every desk socket following its conversation, on
 * every node. It goes out on one fan-out topic every node subscribes to, the publishing node too (on
 * one node the in-process fan-out delivers to itself), so there is a single path. The fan-out may
 * lose a message (a Redis reconnect): the note is still in the store, and a panel opened again, or
 * the history, reads it from there. Nothing here reaches a session or a user's socket.
 */
public final class NoteBroadcast implements Consumer<DeskNote> {
    private static final Logger LOG = LoggerFactory.getLogger(NoteBroadcast.class);
    static final String TOPIC = "parley.desk.notes";

    private final FanOut fanOut;
    /** Desk sockets of this node following a conversation, by session id; any thread. */
    private final Map<String, Set<Follower>> followers = new ConcurrentHashMap<>();

    /** One registration: its own identity, so the same socket registered twice is two. */
    private record Follower(Consumer<String> sink) {
        @Override
        public boolean equals(Object other) {
            return this == other;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    public NoteBroadcast(FanOut fanOut) {
        this.fanOut = fanOut;
        fanOut.subscribe(TOPIC, this::delivered);
    }

    /** A note was stored: every node's followers of its conversation get it. Never blocks. */
    @Override
    public void accept(DeskNote note) {
        fanOut.publish(TOPIC, NoteJson.message(note));
    }

    /**
     * {@code sink} (a desk socket: never blocks, never throws) gets the {@code desk.note} messages of
     * the session until the returned handle runs. Today the assigned agent's socket registers; a
     * supervisor watching a conversation would register the same way.
     */
    Runnable follow(String sessionId, Consumer<String> sink) {
        Follower follower = new Follower(sink);
        followers.computeIfAbsent(sessionId, id -> ConcurrentHashMap.newKeySet()).add(follower);
        return () -> followers.computeIfPresent(sessionId, (id, set) -> {
            set.remove(follower);
            return set.isEmpty() ? null : set;
        });
    }

    private void delivered(String message) {
        String sessionId;
        try {
            JsonNode json = Json.MAPPER.readTree(message);
            sessionId = json.path("session_id").asText(null);
        } catch (IOException e) {
            LOG.warn("desk note message not understood: {}", e.getMessage());
            return;
        }
        Set<Follower> those = sessionId == null ? null : followers.get(sessionId);
        if (those != null) {
            those.forEach(f -> f.sink().accept(message));
        }
    }
}
