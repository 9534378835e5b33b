package dev.parley.server.operator;

import java.util.Set;
import java.util.concurrent.CompletionStage;

/** What erasure needs of the node's live sessions; the session registry implements it. */
public interface LiveSessions {

    /** Ends an open session (journaled, sockets told) and stops its actor; completes when done. */
    CompletionStage<Void> endForErasure(String sessionId);

    /** Drops whatever this node holds of these erased sessions, closing their sockets. */
    void dropErased(Set<String> sessionIds);
}
