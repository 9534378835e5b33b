package dev.parley.server.store;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;

/**
 * Who drives a session's actor (issue 11): one owner per session at a time, holding a lease with a
 * fencing epoch. A node acquires the lease when it activates the session's actor, renews the leases
 * of all its live actors together, and gives them up when it stops. Every journal append carries
 * the epoch it was acquired with ({@link EventStore#append(java.util.List, java.util.List, java.util.Map)}),
 * so a former owner's append fails instead of forking the history. Calls block.
 */
public interface SessionLeases {

    /** This node's id, random per process. */
    String nodeId();

    /**
     * Takes the session's lease if nobody holds it, it expired, or this node holds it already; every
     * acquisition gets a new epoch (also a re-acquisition, so an older actor of this node is fenced
     * too). Empty while another node's lease is live.
     */
    Optional<Lease> acquire(String sessionId);

    /**
     * Extends this node's leases of these sessions; returns those it no longer holds (taken over
     * after the lease expired): their actors are deposed.
     */
    Set<String> renew(Collection<String> sessionIds);

    /** Gives these leases up (graceful stop): another node may take them at once. */
    void release(Collection<String> sessionIds);

    /** The node whose lease of the session is live, if any (a follower forwards to it). */
    Optional<String> liveOwner(String sessionId);

    /** Whether leases exist at all: false on a single node, where this node always owns everything. */
    boolean multiNode();

    /**
     * The session's connection slots across nodes; they expire and are renewed like the leases.
     * None on a single node, whose actors count their sockets themselves.
     */
    default ConnectionSlots connectionSlots() {
        return ConnectionSlots.NONE;
    }

    /**
     * A held lease.
     *
     * @param epoch   the fencing epoch every append of this owner carries
     * @param movedIn true when another node held the lease before (it expired): a takeover
     */
    record Lease(long epoch, boolean movedIn) {
    }

    /** One node owns every session (the embedded SQLite store): always granted, epoch 0, never lost. */
    static SessionLeases singleNode(String nodeId) {
        return new SessionLeases() {
            @Override
            public String nodeId() {
                return nodeId;
            }

            @Override
            public Optional<Lease> acquire(String sessionId) {
                return Optional.of(new Lease(0, false));
            }

            @Override
            public Set<String> renew(Collection<String> sessionIds) {
                return Set.of();
            }

            @Override
            public void release(Collection<String> sessionIds) {
            }

            @Override
            public Optional<String> liveOwner(String sessionId) {
                return Optional.of(nodeId);
            }

            @Override
            public boolean multiNode() {
                return false;
            }
        };
    }
}
