package dev.parley.client;

import java.util.concurrent.CompletionStage;

/**
 * A user message handed to {@link Conversation#send(String)}, with its delivery receipt. Every
 * (re)transmission carries the same {@code client_event_id}, so the server stores it once however
 * often it is resent (PROTOCOL.md §4.4, §13.5). Safe to read from any thread.
 */
public interface OutgoingMessage {

    /** The id sent in {@code metadata.custom.client_event_id}: a random UUID. */
    String clientEventId();

    String text();

    DeliveryStatus status();

    /** The server-assigned message id once {@link DeliveryStatus#SENT}, else {@code null}. */
    String messageId();

    /** Completes with {@link DeliveryStatus#SENT} or {@link DeliveryStatus#FAILED}; never exceptionally. */
    CompletionStage<DeliveryStatus> settled();
}
