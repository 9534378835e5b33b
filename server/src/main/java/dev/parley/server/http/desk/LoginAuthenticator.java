package dev.parley.server.http.desk;

import dev.parley.server.desk.DeskLogin;
import java.util.Optional;

/** {@link DeskAuthenticator} over the desk's own login (bcrypt passwords, desk JWTs). */
public final class LoginAuthenticator implements DeskAuthenticator {
    private final DeskLogin login;

    public LoginAuthenticator(DeskLogin login) {
        this.login = login;
    }

    @Override
    public Optional<LoggedIn> login(String name, String password) {
        return login.login(name, password.toCharArray())
                .map(s -> new LoggedIn(s.agent(), s.token().token(), s.token().expiresInSeconds()));
    }

    @Override
    public Optional<String> agentIdOf(String token) {
        return login.tokens().verify(token);
    }
}
