package dev.parley.server.http.desk;

import dev.parley.server.desk.DeskAgent;
import java.util.Optional;

/**
 * Who a desk caller is: password login and desk-token verification. Both may block (password
 * hashing, the store); the desk routes call them off the event loop.
 */
public interface DeskAuthenticator {

    /** Empty when the name or the password is wrong (the caller cannot tell which). */
    Optional<LoggedIn> login(String name, String password);

    /** The agent id of a valid, unexpired desk token; empty otherwise. */
    Optional<String> agentIdOf(String token);

    /** A successful login: the agent and a desk token valid for {@code expiresInSeconds}. */
    record LoggedIn(DeskAgent agent, String token, long expiresInSeconds) {
    }
}
