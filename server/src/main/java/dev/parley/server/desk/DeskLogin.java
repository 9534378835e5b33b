package dev.parley.server.desk;

import dev.parley.server.auth.IssuedToken;
import java.util.Optional;

/**
 * Live-agent log-in: name and password in, agent and desk token out. An unknown name and a wrong
 * password get the same answer, and an unknown name still costs one bcrypt check, so timing does
 * not tell which names exist. Calls block (store and bcrypt): keep them off event loops.
 */
public final class DeskLogin {
    private final DeskStore store;
    private final Passwords passwords;
    private final DeskTokens tokens;
    /** Checked against when the name is unknown, so both refusals take as long. */
    private final String decoyHash;

    /** A successful log-in. */
    public record Success(DeskAgent agent, IssuedToken token) {
    }

    public DeskLogin(DeskStore store, Passwords passwords, DeskTokens tokens) {
        this.store = store;
        this.passwords = passwords;
        this.tokens = tokens;
        this.decoyHash = passwords.hash("parley-decoy-password".toCharArray());
    }

    /** Empty for an unknown name or a wrong (or empty) password. */
    public Optional<Success> login(String name, char[] password) {
        Optional<DeskAgent> agent = name == null ? Optional.empty() : store.findAgentByName(name.strip());
        String hash = agent.flatMap(a -> store.passwordHash(a.id())).orElse(decoyHash);
        boolean matches = passwords.verify(password, hash);
        if (agent.isEmpty() || !matches) {
            return Optional.empty();
        }
        return Optional.of(new Success(agent.get(), tokens.issue(agent.get())));
    }

    /** The agent a desk token belongs to, if the token is valid and the agent still exists. */
    public Optional<DeskAgent> authenticate(String token) {
        return tokens.verify(token).flatMap(store::findAgent);
    }

    public DeskTokens tokens() {
        return tokens;
    }
}
