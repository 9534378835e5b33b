package dev.parley.server.session;

/**
 * Another node holds a live lease of the session (issue 11): no actor may run here. A socket for
 * it is served by a follower instead; the sweep leaves it to its owner.
 */
public final class OwnedElsewhereException extends RuntimeException {
    public OwnedElsewhereException(String sessionId) {
        super("session " + sessionId + " is owned by another node");
    }
}
