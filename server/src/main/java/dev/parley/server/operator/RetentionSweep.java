package dev.parley.server.operator;

import dev.parley.server.store.ErasureRecord;
import dev.parley.server.store.OperatorStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Erases the ended conversations of each connector with a {@code retention_days} once they ended
 * longer ago than that, leaving the same audit record as an erasure by hand ({@code erased_by:
 * retention}). Open sessions are never touched: they end by inactivity first.
 *
 * <p><b>Several nodes.</b> Every node runs the sweep; no leader is elected and no lock is taken,
 * because the sweep is idempotent: each erasure is one transaction that locks the session row
 * first, so of two nodes erasing the same session one deletes it and the other finds nothing and
 * writes nothing (the audit insert is conflict-free too). The cost of a double run is a few
 * queries that find nothing; an advisory lock would save that but add a failure mode (a lock held
 * by a node that paused). Ended sessions take no more events, so nothing races the delete.
 */
public final class RetentionSweep {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionSweep.class);
    /** How often a node sweeps. Retention is counted in days: a quarter of an hour late is nothing. */
    public static final Duration PERIOD = Duration.ofMinutes(15);
    /** Sessions erased per connector per query, so one sweep never holds a long transaction. */
    static final int BATCH = 200;
    public static final String ERASED_BY = "retention";

    private final OperatorStore store;
    private final LiveSessions live;
    private final Clock clock;

    public RetentionSweep(OperatorStore store, LiveSessions live, Clock clock) {
        this.store = store;
        this.live = live;
        this.clock = clock;
    }

    /** Erases everything past its connector's retention; returns how many sessions. Blocks on the store. */
    public int run() {
        int erased = 0;
        Instant now = clock.instant();
        for (Map.Entry<String, Integer> retention : store.retentionDays().entrySet()) {
            Instant cutoff = now.minus(Duration.ofDays(retention.getValue()));
            while (true) {
                List<String> due = store.endedBefore(retention.getKey(), cutoff, BATCH);
                for (String id : due) {
                    if (store.erase(new ErasureRecord(id, retention.getKey(), now, ERASED_BY))) {
                        erased++;
                    }
                }
                live.dropErased(Set.copyOf(due));
                if (due.size() < BATCH) {
                    break;
                }
            }
        }
        if (erased > 0) {
            LOG.info("retention: erased {} ended conversations", erased);
        }
        return erased;
    }
}
