package dev.parley.server.session;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What happened between the nodes of a cluster (issue 11), counted for metrics: sessions whose lease
 * this node took from another node, follower reads of the store, doorbells found missing, and actors
 * of this node deposed by a newer lease. Thread-safe; read by the metrics at scrape time.
 */
public final class ClusterCounters {
    private final AtomicLong leaseMoves = new AtomicLong();
    private final AtomicLong refills = new AtomicLong();
    private final AtomicLong gaps = new AtomicLong();
    private final AtomicLong deposed = new AtomicLong();

    void leaseMoved() {
        leaseMoves.incrementAndGet();
    }

    void refilled() {
        refills.incrementAndGet();
    }

    void gapDetected() {
        gaps.incrementAndGet();
    }

    void actorDeposed() {
        deposed.incrementAndGet();
    }

    /** Sessions this node activated with a lease another node held before (a takeover or a handover). */
    public long leaseMoves() {
        return leaseMoves.get();
    }

    /** Times a follower read new events from the store for its sockets. */
    public long refills() {
        return refills.get();
    }

    /**
     * Times a follower found events no doorbell had announced: a doorbell whose delivery starts
     * beyond the next expected sequence, or a head check that found the store ahead of every doorbell.
     */
    public long gaps() {
        return gaps.get();
    }

    /** Actors of this node stopped because another node holds their session's lease now. */
    public long deposed() {
        return deposed.get();
    }
}
