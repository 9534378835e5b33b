package dev.parley.server.auth;

import dev.parley.server.store.Connector;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Connectors recently read from the store, by token hash, so that minting an access token does not
 * read the store (through a worker thread) for every request: a widget's page asks with the same few
 * connector tokens all day. Only connectors the store knows are kept, never an unknown token, so the
 * map holds at most one entry per connector and {@code capacity} is only a safety bound.
 *
 * <p>Why entries cannot go stale for longer than today's revocation delay: each one remembers which
 * {@linkplain ConnectorRevocations#refreshes() revocation poll} it was read under and is used only
 * while that poll is the latest one. Any change in the store (a revocation, a re-created demo
 * connector) is therefore seen within one poll, about a second, as a revocation already is for
 * access tokens; on top of that, a hit is refused as soon as the snapshot of the last poll lists
 * its connector. A store read that started before a poll is remembered under the poll before, so
 * it is never taken for a fresh one.
 *
 * <p>Thread-safe: any event loop reads, any worker writes.
 */
public final class ConnectorCache {
    /** Far more connectors than one node serves; past it the map is emptied (entries are cheap to read again). */
    public static final int DEFAULT_CAPACITY = 10_000;

    private record Entry(Connector connector, long readUnderPoll) {
    }

    private final ConnectorRevocations revocations;
    private final int capacity;
    private final ConcurrentHashMap<String, Entry> byTokenHash = new ConcurrentHashMap<>();

    public ConnectorCache(ConnectorRevocations revocations, int capacity) {
        this.revocations = revocations;
        this.capacity = capacity;
    }

    /** The poll a store read starting now is read under; pass it to {@link #remember}. */
    public long currentPoll() {
        return revocations.refreshes();
    }

    /** The connector of this token hash if it was read under the latest poll. Never blocks. */
    public Optional<Connector> find(String tokenHash) {
        Entry entry = byTokenHash.get(tokenHash);
        if (entry == null || entry.readUnderPoll() != revocations.refreshes()) {
            return Optional.empty();
        }
        return Optional.of(entry.connector());
    }

    /** Whether the last poll lists this connector as revoked (checked on every hit, not only every poll). */
    public boolean isRevoked(String connectorId) {
        return revocations.isRevoked(connectorId);
    }

    /** Keeps what the store answered for this token hash, read under {@code poll}. */
    public void remember(String tokenHash, Connector connector, long poll) {
        if (byTokenHash.size() >= capacity) {
            byTokenHash.clear(); // mostly entries of older polls, useless anyway
        }
        byTokenHash.put(tokenHash, new Entry(connector, poll));
    }

    /** Entries held (for tests). */
    int size() {
        return byTokenHash.size();
    }
}
