package dev.parley.server.operator;

import dev.parley.server.store.OperatorStore;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * Notices conversations erased elsewhere — through another node, or by the admin CLI in another
 * process — and has this node drop what it holds of them (an actor with open sockets, a follower),
 * within about {@link #POLL_PERIOD}. The store is the only place to learn of it, as for connector
 * revocations; the query reads the erasures of the last {@link #LOOKBACK} (an index range), so it
 * stays cheap however many were ever erased, and node clocks may differ by up to that much.
 *
 * <p>Runs on the scheduler thread only.
 */
public final class ErasureWatch {
    public static final Duration POLL_PERIOD = Duration.ofSeconds(1);
    static final Duration LOOKBACK = Duration.ofMinutes(2);

    private final OperatorStore store;
    private final LiveSessions live;
    private final Clock clock;
    /** Erasures already handled that are still inside the look-back window. */
    private Set<String> seen = Set.of();

    public ErasureWatch(OperatorStore store, LiveSessions live, Clock clock) {
        this.store = store;
        this.live = live;
        this.clock = clock;
    }

    /** Reads recent erasures and drops the new ones. Blocks on the store; a failure leaves them for the next poll. */
    public void poll() {
        Set<String> recent = store.erasedSince(clock.instant().minus(LOOKBACK));
        Set<String> fresh = new HashSet<>(recent);
        fresh.removeAll(seen);
        if (!fresh.isEmpty()) {
            live.dropErased(fresh);
        }
        seen = recent;
    }
}
