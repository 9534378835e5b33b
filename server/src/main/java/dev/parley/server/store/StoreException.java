package dev.parley.server.store;

/** The store could not do what was asked; the caller decides whether to retry. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
