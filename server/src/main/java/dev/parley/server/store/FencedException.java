package dev.parley.server.store;

/**
 * The append was refused because its session's lease moved to a newer epoch: another node (or a
 * newer actor on this one) owns the session now. Nothing of the append was stored. Not a storage
 * failure — the writer is deposed: it stops, sends nothing more, and its clients reconnect to the
 * owner. Other sessions of the same group commit are unaffected.
 */
public final class FencedException extends StoreException {
    public FencedException(String sessionId, long epoch) {
        super("session " + sessionId + " is owned by a newer epoch than " + epoch + ": this writer is deposed");
    }
}
