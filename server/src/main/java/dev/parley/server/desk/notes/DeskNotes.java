package dev.parley.server.desk.notes;

import dev.parley.server.desk.DeskAgent;
import dev.parley.server.desk.DeskPort;
import dev.parley.server.desk.SupervisorResult;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Reading and writing internal notes for the desk's REST routes and sockets. Who may is
 * {@link #mayUse}'s decision alone. A stored note is handed to {@code stored} (the broadcast to the
 * desk sockets following the conversation), never to the session. Never blocks: store work runs on
 * {@code blocking}.
 */
public final class DeskNotes {
    public static final int MAX_TEXT_CHARS = 4_000;

    private final NoteStore store;
    private final DeskPort desk;
    private final Executor blocking;
    private final Clock clock;
    private final Supplier<String> ids;
    private final Consumer<DeskNote> stored;

    public DeskNotes(NoteStore store, DeskPort desk, Executor blocking, Clock clock, Supplier<String> ids,
                     Consumer<DeskNote> stored) {
        this.store = store;
        this.desk = desk;
        this.blocking = blocking;
        this.clock = clock;
        this.ids = ids;
        this.stored = stored;
    }

    /**
     * The one access rule of notes on a live conversation: the agent it is assigned to, and a
     * supervisor of its connector (who may watch any open conversation of it).
     */
    public CompletionStage<Boolean> mayUse(DeskAgent agent, String sessionId) {
        if (agent.supervisor()) {
            return desk.watch(agent.id(), sessionId).thenApply(SupervisorResult::ok);
        }
        return desk.owns(agent.id(), sessionId);
    }

    /** Why {@code text} cannot be a note, or empty when it can. */
    public static Optional<String> refusal(String text) {
        if (text == null) {
            return Optional.of("missing field: text");
        }
        if (text.isBlank()) {
            return Optional.of("text must not be empty");
        }
        if (text.length() > MAX_TEXT_CHARS) {
            return Optional.of("text longer than " + MAX_TEXT_CHARS + " characters");
        }
        return Optional.empty();
    }

    /** Note ids: 128 random bits, so one cannot be guessed from another. */
    public static Supplier<String> randomIds(java.security.SecureRandom random) {
        return () -> {
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            return "note_" + java.util.HexFormat.of().formatHex(bytes);
        };
    }

    /** The conversation's notes, oldest first; empty when the agent may not see them. */
    public CompletionStage<Optional<List<DeskNote>>> list(DeskAgent agent, String sessionId) {
        return mayUse(agent, sessionId).thenCompose(allowed -> allowed
                ? CompletableFuture.supplyAsync(() -> Optional.of(store.bySession(sessionId)), blocking)
                : CompletableFuture.completedFuture(Optional.empty()));
    }

    /**
     * Stores a note by {@code agent} (the text already passed {@link #refusal}) and hands it to the
     * broadcast; empty when the agent may not write on this conversation.
     */
    public CompletionStage<Optional<DeskNote>> add(DeskAgent agent, String sessionId, String text) {
        return mayUse(agent, sessionId).thenCompose(allowed -> {
            if (!allowed) {
                return CompletableFuture.completedFuture(Optional.<DeskNote>empty());
            }
            return CompletableFuture.supplyAsync(() -> {
                DeskNote note = new DeskNote(ids.get(), sessionId, agent.connectorId(), agent.id(), agent.name(), text,
                        clock.instant());
                store.add(note);
                stored.accept(note);
                return Optional.of(note);
            }, blocking);
        });
    }

    /** The notes of any conversation, oldest first, for a caller that checked access itself (the history). Blocks. */
    public List<DeskNote> of(String sessionId) {
        return store.bySession(sessionId);
    }
}
