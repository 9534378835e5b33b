package dev.parley.server.desk.canned;

/** A reply the caller asked for is not valid (empty text, bad shortcut, unknown queue…); the message says why. */
public final class InvalidCannedReplyException extends RuntimeException {
    public InvalidCannedReplyException(String message) {
        super(message);
    }
}
