package dev.parley.server.session;

import dev.parley.server.store.EventStore;
import dev.parley.server.store.StoredEvent;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays the journal after a cursor to one connection that is catching up, a page at a time: the
 * next page is read only once the connection took the frames of the previous one (issue 10), so a
 * long history costs one page of memory per socket and never blocks the session's actor. When the
 * journal has nothing more, the actor finishes the hand-over to live delivery in one of its own
 * tasks ({@link SessionActor}), where nothing can be stored in between.
 *
 * <p>Threads: steps run one at a time — the first on the worker executor, later ones wherever the
 * connection reports room (handed back to the executor) — so the fields below need no lock; the
 * hand-over to the actor's queue publishes them. {@link #heldAnswers} is confined to the actor.
 */
final class ReplayPump {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayPump.class);
    /** Events read per page: one full replay batch (§13.3). */
    static final int PAGE = dev.parley.protocol.Limits.MAX_EVENTS_PER_BATCH;

    private final Connection connection;
    private final String sessionId;
    private final EventStore events;
    private final Executor executor;
    private final Supplier<Instant> now;
    private final Runnable caughtUp;
    private final ArrayDeque<String> frames = new ArrayDeque<>();
    private long after;
    private boolean sentAny;
    private boolean sawEnd;
    private volatile boolean cancelled;
    /** Frames for this connection only (resent echoes, heartbeat echoes, errors) made during catch-up. */
    final List<String> heldAnswers = new ArrayList<>();

    ReplayPump(Connection connection, String sessionId, long cursor, EventStore events, Executor executor,
               Supplier<Instant> now, java.util.function.Consumer<ReplayPump> caughtUp) {
        this.connection = connection;
        this.sessionId = sessionId;
        this.after = Math.max(0, cursor);
        this.events = events;
        this.executor = executor;
        this.now = now;
        this.caughtUp = () -> caughtUp.accept(this);
    }

    Connection connection() {
        return connection;
    }

    /** The last sequence handed to the connection (or the cursor). */
    long after() {
        return after;
    }

    boolean sentAny() {
        return sentAny;
    }

    /** Whether a page read held the session's end (a follower closes the socket after it, §13.9). */
    boolean sawEnd() {
        return sawEnd;
    }

    /** Starts (or, after the actor found more history, resumes) paging on the worker executor. */
    void resume() {
        executor.execute(this::step);
    }

    /** The connection went away: stop reading. */
    void cancel() {
        cancelled = true;
    }

    boolean isCancelled() {
        return cancelled;
    }

    private void step() {
        try {
            while (!cancelled) {
                if (frames.isEmpty()) {
                    List<StoredEvent> page = events.readAfter(sessionId, after, PAGE);
                    if (page.isEmpty()) {
                        caughtUp.run();
                        return;
                    }
                    frames.addAll(ReplayBatches.frames(page.stream().map(StoredEvent::json).toList(), now.get()));
                    after = page.get(page.size() - 1).sequence();
                    sawEnd |= page.stream().anyMatch(e -> e.type() == dev.parley.protocol.EventType.SESSION_END);
                }
                if (!connection.trySend(frames.peek())) {
                    connection.onWritable(this::resume);
                    return;
                }
                frames.poll();
                sentAny = true;
            }
        } catch (RuntimeException e) {
            LOG.error("replay of session {} to {} failed", sessionId, connection, e);
            cancelled = true;
            connection.close(CloseCodes.INTERNAL_ERROR, "session unavailable, reconnect");
        }
    }
}
