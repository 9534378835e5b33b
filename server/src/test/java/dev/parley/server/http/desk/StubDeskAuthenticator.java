package dev.parley.server.http.desk;

import dev.parley.server.desk.DeskStore;
import java.util.Optional;

/**
 * Stands in for the real login and desk tokens (bcrypt, JWT) in tests of the HTTP side: the stored
 * "hash" is the password itself and a token is {@code desk-<agent id>}.
 */
final class StubDeskAuthenticator implements DeskAuthenticator, AgentDirectory {
    private static final String PREFIX = "desk-";
    private final DeskStore store;

    StubDeskAuthenticator(DeskStore store) {
        this.store = store;
    }

    static String tokenOf(String agentId) {
        return PREFIX + agentId;
    }

    @Override
    public Optional<LoggedIn> login(String name, String password) {
        return store.findAgentByName(name)
                .filter(a -> store.passwordHash(a.id()).map(password::equals).orElse(false))
                .map(a -> new LoggedIn(a, tokenOf(a.id()), 43_200));
    }

    @Override
    public Optional<String> agentIdOf(String token) {
        return token.startsWith(PREFIX) ? Optional.of(token.substring(PREFIX.length())) : Optional.empty();
    }

    @Override
    public Optional<dev.parley.server.desk.DeskAgent> find(String agentId) {
        return store.findAgent(agentId);
    }
}
