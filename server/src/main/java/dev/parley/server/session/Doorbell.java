package dev.parley.server.session;

import java.util.List;

/**
 * What an owning actor tells the other nodes after each delivery (issue 11): the session's new head
 * — followers then read the journal up to it — and the transient frames of that delivery (typing,
 * thinking), which are never stored and so can only travel in the message itself.
 */
@FunctionalInterface
interface Doorbell {
    Doorbell NONE = (sessionId, head, stored, transientFrames, observerFrames) -> { };

    /**
     * @param stored         how many events this delivery stored (the last of them at {@code head})
     * @param observerFrames transient frames for the live agents' desks only (a user's typing)
     */
    void ring(String sessionId, long head, int stored, List<String> transientFrames, List<String> observerFrames);
}
