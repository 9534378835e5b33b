package dev.parley.client;

/** Delivery of one {@link OutgoingMessage}, driven by the server's echo (PROTOCOL.md §4.4). */
public enum DeliveryStatus {
    /** Queued or on the wire; no echo yet. */
    SENDING,
    /** The server echoed it: it is stored in the session history exactly once. */
    SENT,
    /** No echo after every resend, refused by the server, or the conversation closed first. */
    FAILED
}
