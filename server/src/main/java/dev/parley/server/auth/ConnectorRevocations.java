package dev.parley.server.auth;

import dev.parley.server.store.ConnectorStore;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connectors this node knows to be revoked, so that their access tokens stop working before
 * they expire. A revocation is written to the store, often by the admin CLI in another process, so
 * the store is the only place to learn of it: {@link #refresh()} re-reads the (small) set of
 * revoked connectors every {@link #POLL_PERIOD}, which is simpler than a channel between processes
 * and bounds the delay to about a second. Token checks only look into the last snapshot, so they
 * never touch the store and stay cheap on the event loop.
 *
 * <p>After every refresh the whole set goes to {@code whileRevoked} (the session registry closes
 * the sockets of those connectors). Every time, not only when a connector is new in the set: a
 * WebSocket handshake verified just before a revocation can attach just after it, and the next
 * refresh closes that socket too. The set is read whole each time, so a connector whose revocation
 * is lifted (the demo connector is re-created at start-up) is trusted again on the next refresh.
 *
 * <p>{@code revoked} is written by the refreshing thread (the scheduler) and read by any thread.
 */
public final class ConnectorRevocations {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorRevocations.class);
    /** How often the store is asked; a revoked connector is refused within about this long. */
    public static final Duration POLL_PERIOD = Duration.ofSeconds(1);

    private final Supplier<Set<String>> source;
    private final Consumer<Set<String>> whileRevoked;
    private volatile Set<String> revoked = Set.of();
    /** Completed refreshes; written by the refreshing thread only, so a plain volatile increment is safe. */
    private volatile long refreshes;

    /** Revocations as the store has them now; {@code whileRevoked} hears the set after each refresh. */
    public ConnectorRevocations(ConnectorStore store, Clock clock, Consumer<Set<String>> whileRevoked) {
        this(() -> store.revokedConnectorIds(clock.instant()), whileRevoked);
    }

    private ConnectorRevocations(Supplier<Set<String>> source, Consumer<Set<String>> whileRevoked) {
        this.source = source;
        this.whileRevoked = whileRevoked;
    }

    /** Revokes nothing, ever: for parts built without a store (unit tests of token handling). */
    public static ConnectorRevocations none() {
        return new ConnectorRevocations(Set::of, ids -> { });
    }

    /** True when the connector was revoked as of the last refresh. Never blocks. */
    public boolean isRevoked(String connectorId) {
        return revoked.contains(connectorId);
    }

    /**
     * How many refreshes have completed: {@link ConnectorCache} trusts only what it read since the
     * latest one. Never blocks.
     */
    public long refreshes() {
        return refreshes;
    }

    /**
     * Reads the revoked connectors from the store, then hands them to {@code whileRevoked}. Blocks
     * on the store; call from the scheduler, once before the node listens. A store failure
     * propagates and the last snapshot stays in force.
     */
    public void refresh() {
        Set<String> now = Set.copyOf(source.get());
        Set<String> newly = new HashSet<>(now);
        newly.removeAll(revoked);
        // Published before the sockets are closed, so a client reconnecting at once is refused.
        revoked = now;
        refreshes++;
        if (!newly.isEmpty()) {
            LOG.info("connectors revoked: {}; refusing their access tokens and closing their sockets", newly);
        }
        if (!now.isEmpty()) {
            whileRevoked.accept(now);
        }
    }
}
