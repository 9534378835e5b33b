package dev.parley.server.store;

import dev.parley.server.desk.DeskStore;

/**
 * Everything one node keeps: the journal, sessions, connectors, the live-agent desk and verified contexts, behind one
 * adapter chosen by {@code store.kind} (SQLite in the data directory, or PostgreSQL). Calls block.
 */
public interface NodeStore extends EventStore, SessionStore, ConnectorStore, DeskStore, ContextStore, AutoCloseable {

    /**
     * The session leases of the node {@code nodeId} (issue 11), expiring {@code ttl} after their
     * last renewal. A store one node owns alone (the embedded SQLite file) grants every lease.
     */
    default SessionLeases leases(String nodeId, java.time.Duration ttl) {
        return SessionLeases.singleNode(nodeId);
    }

    /**
     * The operator APIs' view of this store (issue 14): API keys, the conversation listing, erasure
     * and retention. Stores without one (test doubles) refuse.
     */
    default OperatorStore operators() {
        throw new UnsupportedOperationException("this store has no operator APIs");
    }

    /**
     * Who runs the live-agent desk among the nodes of one store (issue 11); empty for a store one
     * node owns alone, whose desk always runs there.
     */
    default java.util.Optional<DeskLeadership> deskLeadership(String nodeId, java.time.Duration ttl) {
        return java.util.Optional.empty();
    }

    /** Outgoing webhooks (issue 14): subscriptions and the delivery outbox. Stores without one (test doubles) refuse. */
    default dev.parley.server.webhooks.WebhookStore webhooks() {
        throw new UnsupportedOperationException("this store has no webhooks");
    }

    /** Canned replies (shared per queue, inserted on the desk). Stores without them (test doubles) refuse. */
    default dev.parley.server.desk.canned.CannedReplyStore cannedReplies() {
        throw new UnsupportedOperationException("this store has no canned replies");
    }

    /** The desk's internal notes on conversations. Stores without them (test doubles) refuse. */
    default dev.parley.server.desk.notes.NoteStore notes() {
        throw new UnsupportedOperationException("this store has no notes");
    }

    /** CSAT ratings of conversations with live agents. Stores without them (test doubles) refuse. */
    default dev.parley.server.csat.CsatStore csat() {
        throw new UnsupportedOperationException("this store has no CSAT ratings");
    }

    /** Closes the connections; a failure is a {@link StoreException}. */
    @Override
    void close();
}
