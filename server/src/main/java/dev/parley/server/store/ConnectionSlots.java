package dev.parley.server.store;

import java.util.Collection;

/**
 * The connection slots of every session across all nodes (issue 11): PROTOCOL.md's limit of
 * connections per session counts sockets on every node, not per node. A node claims a slot before
 * it upgrades a socket and frees it when the socket closes; it renews the slots it holds with its
 * leases, so the slots of a node that died stop counting once they expire (the lease ttl). Calls
 * block.
 */
public interface ConnectionSlots {

    /** One node: the per-node count in the session's actor is the whole count. */
    ConnectionSlots NONE = new ConnectionSlots() {
        @Override
        public boolean claim(String sessionId, String slotId, int max) {
            return true;
        }

        @Override
        public void free(String slotId) {
        }

        @Override
        public void renew(Collection<String> heldSlotIds) {
        }

        @Override
        public boolean shared() {
            return false;
        }
    };

    /** Takes a slot of the session if fewer than {@code max} live ones are taken on all nodes. */
    boolean claim(String sessionId, String slotId, int max);

    /** The socket closed (or never upgraded). */
    void free(String slotId);

    /**
     * Extends this node's slots that are still held and drops its others (a free that failed, e.g.
     * while the database was unreachable), so a node's count heals itself at every renewal.
     */
    void renew(Collection<String> heldSlotIds);

    /** Whether slots are counted across nodes at all. */
    default boolean shared() {
        return true;
    }
}
