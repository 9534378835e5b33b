package dev.parley.server.session;

import dev.parley.server.store.StoredEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * What one actor task emits, in order: the events to journal and every frame to deliver. Frames go
 * out only after the journal confirmed the stored ones (ARCHITECTURE.md rule 2), so the order of
 * the list is the order clients see.
 */
final class Outbox {
    /** A frame for every connection of the session, or for {@code only} one; {@code stored} if journaled. */
    record Delivery(String frame, Connection only, boolean stored) {
        Delivery(String frame, Connection only) {
            this(frame, only, false);
        }
    }

    private final List<StoredEvent> toStore = new ArrayList<>();
    private final List<Delivery> deliveries = new ArrayList<>();
    private final List<Runnable> afterDelivery = new ArrayList<>();
    /** Frames for the desks following from other nodes only (a user's typing), never for user sockets. */
    private final List<String> forObserversElsewhere = new ArrayList<>();

    void store(StoredEvent event) {
        toStore.add(event);
        deliveries.add(new Delivery(event.json(), null, true));
    }

    void broadcast(String frame) {
        deliveries.add(new Delivery(frame, null));
    }

    void sendTo(Connection connection, String frame) {
        deliveries.add(new Delivery(frame, connection));
    }

    /** Runs once the frames are handed to the connections, e.g. closing them after SESSION_END. */
    void toObserversElsewhere(String frame) {
        forObserversElsewhere.add(frame);
    }

    List<String> observersElsewhere() {
        return forObserversElsewhere;
    }

    void then(Runnable action) {
        afterDelivery.add(action);
    }

    List<StoredEvent> toStore() {
        return toStore;
    }

    List<Delivery> deliveries() {
        return deliveries;
    }

    List<Runnable> afterDelivery() {
        return afterDelivery;
    }

    boolean isEmpty() {
        return deliveries.isEmpty() && afterDelivery.isEmpty() && forObserversElsewhere.isEmpty();
    }
}
