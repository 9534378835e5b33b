package dev.parley.client.internal;

import dev.parley.client.DeliveryStatus;
import java.util.function.BooleanSupplier;

/**
 * What {@link Receipts} may do to the conversation: ask whether frames may go out, write one, get
 * back onto the conversation thread from a timer, and report a status to the listener. Called on the
 * conversation thread (only {@link #post} may be called from a timer thread); holds nothing mutable.
 */
final class ReceiptsWire implements Receipts.Wire {
    private final ConversationThread thread;
    private final Outbound out;
    /** The conversation is live: a socket is open, its replay is in, and it is not over. */
    private final BooleanSupplier live;
    private final ListenerCalls listeners;

    ReceiptsWire(ConversationThread thread, Outbound out, BooleanSupplier live, ListenerCalls listeners) {
        this.thread = thread;
        this.out = out;
        this.live = live;
        this.listeners = listeners;
    }

    @Override
    public boolean connected() {
        return live.getAsBoolean();
    }

    @Override
    public void write(String frame) {
        out.write(frame);
    }

    @Override
    public void post(Runnable task) {
        thread.post(task);
    }

    @Override
    public void statusChanged(RealOutgoingMessage message, DeliveryStatus status) {
        listeners.deliveryStatus(message, status);
    }
}
