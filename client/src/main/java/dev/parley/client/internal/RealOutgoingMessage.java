package dev.parley.client.internal;

import dev.parley.client.DeliveryStatus;
import dev.parley.client.OutgoingMessage;
import dev.parley.client.Timers;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The SDK's side of an {@link OutgoingMessage}: its frame, resend count and receipt timer. */
final class RealOutgoingMessage implements OutgoingMessage {
    private final String clientEventId = UUID.randomUUID().toString();
    private final String text;
    /** The exact frame sent every time, so a resend is identical (PROTOCOL.md §4.4). */
    final String frame;
    private final CompletableFuture<DeliveryStatus> settled = new CompletableFuture<>();
    /** Written on the conversation thread, read anywhere. */
    private volatile DeliveryStatus status = DeliveryStatus.SENDING;
    /** Written on the conversation thread, read anywhere. */
    private volatile String messageId;
    /** Conversation thread only: resends done after receipt timeouts (reconnect retransmits don't count). */
    int resends;
    /** Conversation thread only: the pending receipt timeout, or {@code null}. */
    Timers.Cancellable timer;

    RealOutgoingMessage(String text) {
        this.text = text;
        this.frame = ClientFrames.userMessage(text, clientEventId);
    }

    /** Conversation thread only. */
    void markSent(String serverMessageId) {
        messageId = serverMessageId;
        settle(DeliveryStatus.SENT);
    }

    /** Conversation thread only (or before the message is shared). */
    void markFailed() {
        settle(DeliveryStatus.FAILED);
    }

    private void settle(DeliveryStatus outcome) {
        cancelTimer();
        status = outcome;
    }

    /**
     * Completes {@link #settled()} with the final status. Called after the listener heard of it, so
     * whoever waits on the future also finds the listener's record complete.
     */
    void publishOutcome() {
        settled.complete(status);
    }

    void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    @Override
    public String clientEventId() {
        return clientEventId;
    }

    @Override
    public String text() {
        return text;
    }

    @Override
    public DeliveryStatus status() {
        return status;
    }

    @Override
    public String messageId() {
        return messageId;
    }

    @Override
    public CompletionStage<DeliveryStatus> settled() {
        return settled.minimalCompletionStage();
    }

    @Override
    public String toString() {
        return "OutgoingMessage[" + clientEventId + " " + status + "]";
    }
}
