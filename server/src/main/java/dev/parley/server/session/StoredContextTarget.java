package dev.parley.server.session;

import dev.parley.server.store.ContextStore;
import dev.parley.server.store.SessionRecord;
import dev.parley.server.store.SessionStore;
import dev.parley.server.store.StoredContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * A verified context for a session another node owns (issue 11), written to the store directly. No
 * journal event is involved, so nothing needs fencing: the context is one row, replaced whole (the
 * last one submitted wins, as on one node), and the owner's actor reads it before every agent turn.
 * The token was verified on this node like any other.
 */
final class StoredContextTarget implements ContextTarget {
    private final SessionRecord record;
    private final String contextId;
    private final SessionStore sessions;
    private final ContextStore contexts;
    private final Executor executor;

    StoredContextTarget(SessionRecord record, String contextId, SessionStore sessions, ContextStore contexts,
                        Executor executor) {
        this.record = record;
        this.contextId = contextId;
        this.sessions = sessions;
        this.contexts = contexts;
        this.executor = executor;
    }

    @Override
    public SessionRecord record() {
        return record;
    }

    @Override
    public String contextId() {
        return contextId;
    }

    @Override
    public boolean isEnded() {
        return record.ended();
    }

    @Override
    public CompletionStage<Boolean> replaceContext(VerifiedContext context) {
        return CompletableFuture.supplyAsync(() -> {
            // The owner marks the end in the transaction of SESSION_END: read it again, now.
            if (sessions.findSession(record.id()).map(SessionRecord::ended).orElse(true)) {
                return false;
            }
            contexts.saveSessionContext(new StoredContext(record.id(), context.json(), context.keyId(),
                    context.verifiedAt()));
            return true;
        }, executor);
    }
}
