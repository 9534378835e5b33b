package dev.parley.server.session;

import dev.parley.server.store.SessionRecord;
import java.util.concurrent.CompletionStage;

/**
 * Where a verified context submitted for a session goes (issue 11): the session's actor where this
 * node owns it, else the store directly ({@link StoredContextTarget}), which the owner reads before
 * each agent turn.
 */
public interface ContextTarget {

    SessionRecord record();

    /** The id verified-context tokens of this session must carry as {@code sub}; null in old sessions. */
    String contextId();

    boolean isEnded();

    /**
     * Stores the context as the session's only one; completes with false (nothing stored) when the
     * session ended meanwhile.
     */
    CompletionStage<Boolean> replaceContext(VerifiedContext context);
}
