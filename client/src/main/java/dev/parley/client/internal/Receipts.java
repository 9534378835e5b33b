package dev.parley.client.internal;

import dev.parley.client.ClientOptions;
import dev.parley.client.DeliveryStatus;
import dev.parley.client.Timers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Delivery receipts (PROTOCOL.md §4.4, §12): every message waits for its echo, matched by
 * {@code client_event_id}; without one it is resent, identical, after {@code receiptTimeout × n}
 * for attempt {@code n}, at most {@code maxResends} times, then fails. A drop pauses the clocks:
 * after a reconnect every unconfirmed message is retransmitted without spending a resend (the
 * reconnect budget bounds that). Conversation thread only.
 */
final class Receipts {
    /** What receipts need from the conversation; all called on the conversation thread. */
    interface Wire {
        boolean connected();

        void write(String frame);

        /** Runs {@code task} on the conversation thread (timer callbacks come from elsewhere). */
        void post(Runnable task);

        void statusChanged(RealOutgoingMessage message, DeliveryStatus status);
    }

    private final Wire wire;
    private final Timers timers;
    private final ClientOptions options;
    /** Unconfirmed messages in send order, by client event id. */
    private final Map<String, RealOutgoingMessage> pending = new LinkedHashMap<>();

    Receipts(Wire wire, Timers timers, ClientOptions options) {
        this.wire = wire;
        this.timers = timers;
        this.options = options;
    }

    void add(RealOutgoingMessage message) {
        pending.put(message.clientEventId(), message);
        wire.statusChanged(message, DeliveryStatus.SENDING);
        if (wire.connected()) {
            transmit(message);
        }
    }

    private void transmit(RealOutgoingMessage message) {
        message.cancelTimer();
        wire.write(message.frame);
        long waitMillis = options.receiptTimeout().toMillis() * (message.resends + 1L);
        message.timer = timers.schedule(java.time.Duration.ofMillis(waitMillis),
                () -> wire.post(() -> timedOut(message)));
    }

    private void timedOut(RealOutgoingMessage message) {
        message.timer = null;
        if (!pending.containsKey(message.clientEventId()) || !wire.connected()) {
            return; // settled meanwhile, or paused until the reconnect retransmits it
        }
        resendOrFail(message);
    }

    private void resendOrFail(RealOutgoingMessage message) {
        if (message.resends >= options.maxResends()) {
            fail(message);
            return;
        }
        message.resends++;
        transmit(message);
    }

    /** The echo of {@code clientEventId} arrived: the server stored the message. */
    void confirmed(String clientEventId, String messageId) {
        RealOutgoingMessage message = clientEventId == null ? null : pending.remove(clientEventId);
        if (message != null) {
            message.markSent(messageId);
            wire.statusChanged(message, DeliveryStatus.SENT);
            message.publishOutcome();
        }
    }

    /** The server answered {@code clientEventId} with an error that a resend cannot fix. */
    void refused(String clientEventId) {
        RealOutgoingMessage message = clientEventId == null ? null : pending.get(clientEventId);
        if (message != null) {
            fail(message);
        }
    }

    /** The server could take {@code clientEventId} after a fix (e.g. a join): resend it now, spending a resend. */
    void resendNow(String clientEventId) {
        RealOutgoingMessage message = clientEventId == null ? null : pending.get(clientEventId);
        if (message != null && wire.connected()) {
            resendOrFail(message);
        }
    }

    /** A new connection is ready: send everything still unconfirmed, in the original order. */
    void retransmitAll() {
        new ArrayList<>(pending.values()).forEach(this::transmit);
    }

    /** The socket dropped: stop the clocks until {@link #retransmitAll()}. */
    void pauseAll() {
        pending.values().forEach(RealOutgoingMessage::cancelTimer);
    }

    /** The conversation is over: nothing pending can be delivered any more. */
    void failAll() {
        new ArrayList<>(pending.values()).forEach(this::fail);
    }

    private void fail(RealOutgoingMessage message) {
        pending.remove(message.clientEventId());
        message.markFailed();
        wire.statusChanged(message, DeliveryStatus.FAILED);
        message.publishOutcome();
    }
}
