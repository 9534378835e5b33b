package dev.parley.server.auth;

import dev.parley.server.store.Connector;

/** Outcome of checking a connector token and host (PROTOCOL.md §2.1). */
public sealed interface AuthResult {

    /** The token belongs to a live connector whose registered host matches. */
    record Authenticated(Connector connector) implements AuthResult {
    }

    /** Refused with the HTTP status and the documented message to send back. */
    record Refused(int httpStatus, String message) implements AuthResult {
    }
}
