package dev.parley.server.store;

import dev.parley.server.desk.DeskStore;

/**
 * Which node runs the live-agent desk (issue 11): one leader per cluster, holding a lease with a
 * fencing epoch like a session's ({@link SessionLeases}). Every node calls {@link #claim} on its
 * lease-renewal timer: the leader renews, another node takes over only once the lease expired.
 * The leader's desk writes through {@link #fenced}, whose writes check the epoch in their own
 * transaction. Calls block.
 */
public interface DeskLeadership {

    /**
     * Renews this node's lease, or takes it when it is free or expired (a new term: epoch + 1).
     * Returns who leads now, this node or another; empty when nobody does.
     */
    java.util.Optional<Term> claim();

    /** Gives the lease up (graceful stop): another node may take it at once. */
    void release();

    /** The desk store for the term {@code epoch}: its writes fail with {@link FencedException} once the term is over. */
    DeskStore fenced(long epoch);

    /** @param leader the node id of the leader; {@code epoch} its term */
    record Term(String leader, long epoch) {
    }
}
