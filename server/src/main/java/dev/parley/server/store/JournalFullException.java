package dev.parley.server.store;

/**
 * The journal queue is full: nothing of the append was queued, nothing will be written. Not a
 * storage failure — the caller sheds load (PROTOCOL.md §11.2 "high load") and tries again later,
 * and must not treat the store as broken.
 */
public final class JournalFullException extends StoreException {
    public JournalFullException(String message) {
        super(message);
    }
}
