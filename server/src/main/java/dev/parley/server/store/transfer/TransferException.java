package dev.parley.server.store.transfer;

/** An export or import that cannot go on, with a message for the operator (the file's line when there is one). */
public final class TransferException extends RuntimeException {
    public TransferException(String message) {
        super(message);
    }

    public TransferException(String message, Throwable cause) {
        super(message, cause);
    }
}
