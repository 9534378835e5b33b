package dev.parley.server.agent.scripted;

/**
 * A flow file cannot be used; the message names the offending intent and field, so the operator can
 * fix the file and restart.
 */
public class FlowException extends RuntimeException {
    public FlowException(String message) {
        super(message);
    }

    public FlowException(String message, Throwable cause) {
        super(message, cause);
    }
}
