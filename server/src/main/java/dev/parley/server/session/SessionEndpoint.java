package dev.parley.server.session;

import dev.parley.protocol.codec.Decoded;
import dev.parley.server.store.SessionRecord;

/**
 * What a user socket talks to on this node (issue 11): the session's {@link SessionActor} where this
 * node owns the session, or a {@link SessionFollower} where another node does. Either replays the
 * journal after the socket's cursor and then delivers every stored event in order.
 */
public interface SessionEndpoint {

    SessionRecord record();

    /** Claims one of the session's connection slots on this node; false when all are taken. */
    boolean tryReserveConnection();

    /** Gives back a slot whose upgrade did not happen. */
    void releaseReservation();

    /** Replays after {@code cursor}, then delivers live. */
    void attach(Connection connection, long cursor);

    /** The connection closed; frees its slot. */
    void detach(Connection connection);

    /**
     * A live agent's desk follows the conversation (issue 11: on any node): history after
     * {@code cursor}, then every event live, transient ones included. Takes no connection slot.
     */
    void attachObserver(Connection desk, long cursor);

    void detachObserver(Connection desk);

    /** A frame that failed validation. */
    void reject(Connection from, Decoded.Rejected rejected);
}
