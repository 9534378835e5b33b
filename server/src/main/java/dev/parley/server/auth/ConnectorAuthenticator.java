package dev.parley.server.auth;

import dev.parley.protocol.ErrorMessages;
import dev.parley.server.store.Connector;
import dev.parley.server.store.ConnectorStore;
import java.time.Clock;
import java.util.Optional;

/**
 * The connector check behind {@code POST /api/v1/access-token}: {@code X-Token} must be the token
 * of a connector that is not revoked and {@code X-Host} must match its registered host
 * (PROTOCOL.md §2.1). Store failures propagate; the caller answers them with a 500.
 */
public final class ConnectorAuthenticator {
    static final int UNAUTHORIZED = 401;

    private final ConnectorStore connectors;
    private final ConnectorTokenHasher hasher;
    private final Clock clock;

    public ConnectorAuthenticator(ConnectorStore connectors, ConnectorTokenHasher hasher, Clock clock) {
        this.connectors = connectors;
        this.hasher = hasher;
        this.clock = clock;
    }

    /** Checks the two headers; either may be {@code null} when absent. */
    public AuthResult authenticate(String xToken, String xHost) {
        // §2.1: an absent header and an empty one are the same mistake.
        if (isBlank(xToken) || isBlank(xHost)) {
            return refused(ErrorMessages.MISSING_AUTH_HEADERS);
        }
        Optional<Connector> found = connectors.findConnectorByTokenHash(hasher.hash(xToken.strip()));
        // A revoked token is reported like an unknown one, so callers learn nothing about it.
        if (found.isEmpty() || isRevoked(found.get())) {
            return refused(ErrorMessages.CONNECTOR_TOKEN_UNKNOWN);
        }
        Connector connector = found.get();
        if (isBlank(connector.host())) {
            return refused(ErrorMessages.CONNECTOR_MISSING_HOST);
        }
        if (!HostMatcher.matches(connector.host(), xHost)) {
            return refused(ErrorMessages.CONNECTOR_HOST_MISMATCH);
        }
        return new AuthResult.Authenticated(connector);
    }

    private boolean isRevoked(Connector connector) {
        // A revocation dated in the future (scheduled) takes effect only when that moment comes.
        return connector.revoked() && !connector.revokedAt().isAfter(clock.instant());
    }

    private static AuthResult refused(String message) {
        return new AuthResult.Refused(UNAUTHORIZED, message);
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
