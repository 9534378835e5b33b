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
 *
 * <p>With a {@link ConnectorCache}, {@link #authenticateFromMemory} answers most requests on the
 * caller's thread without the store (issue 10: the store read per request, on a worker, capped the
 * access-token rate); {@link #authenticate} is the blocking path that fills the cache.
 */
public final class ConnectorAuthenticator {
    static final int UNAUTHORIZED = 401;

    private final ConnectorStore connectors;
    private final ConnectorTokenHasher hasher;
    private final Clock clock;
    private final Optional<ConnectorCache> cache;

    /** Reads the store for every check (no cache). */
    public ConnectorAuthenticator(ConnectorStore connectors, ConnectorTokenHasher hasher, Clock clock) {
        this(connectors, hasher, clock, Optional.empty());
    }

    public ConnectorAuthenticator(ConnectorStore connectors, ConnectorTokenHasher hasher, Clock clock,
                                  ConnectorCache cache) {
        this(connectors, hasher, clock, Optional.of(cache));
    }

    private ConnectorAuthenticator(ConnectorStore connectors, ConnectorTokenHasher hasher, Clock clock,
                                   Optional<ConnectorCache> cache) {
        this.connectors = connectors;
        this.hasher = hasher;
        this.clock = clock;
        this.cache = cache;
    }

    /**
     * The answer when it needs no store read: headers missing, or the token's connector is in the
     * cache. Empty means: call {@link #authenticate} off the event loop. Never blocks.
     */
    public Optional<AuthResult> authenticateFromMemory(String xToken, String xHost) {
        if (isBlank(xToken) || isBlank(xHost)) {
            return Optional.of(refused(ErrorMessages.MISSING_AUTH_HEADERS));
        }
        return cache.flatMap(c -> c.find(hasher.hash(xToken.strip()))).map(connector -> check(connector, xHost));
    }

    /** Checks the two headers; either may be {@code null} when absent. Blocks on the store. */
    public AuthResult authenticate(String xToken, String xHost) {
        // §2.1: an absent header and an empty one are the same mistake.
        if (isBlank(xToken) || isBlank(xHost)) {
            return refused(ErrorMessages.MISSING_AUTH_HEADERS);
        }
        String tokenHash = hasher.hash(xToken.strip());
        long poll = cache.map(ConnectorCache::currentPoll).orElse(0L); // before the read: see ConnectorCache
        Optional<Connector> found = connectors.findConnectorByTokenHash(tokenHash);
        if (found.isEmpty()) {
            return refused(ErrorMessages.CONNECTOR_TOKEN_UNKNOWN);
        }
        cache.ifPresent(c -> c.remember(tokenHash, found.get(), poll));
        return check(found.get(), xHost);
    }

    private AuthResult check(Connector connector, String xHost) {
        // A revoked token is reported like an unknown one, so callers learn nothing about it.
        if (isRevoked(connector)) {
            return refused(ErrorMessages.CONNECTOR_TOKEN_UNKNOWN);
        }
        if (isBlank(connector.host())) {
            return refused(ErrorMessages.CONNECTOR_MISSING_HOST);
        }
        if (!HostMatcher.matches(connector.host(), xHost)) {
            return refused(ErrorMessages.CONNECTOR_HOST_MISMATCH);
        }
        return new AuthResult.Authenticated(connector);
    }

    private boolean isRevoked(Connector connector) {
        // A revocation dated in the future (scheduled) takes effect only when that moment comes; the
        // cache also asks the last poll, which may know of a revocation newer than its entry.
        return connector.revoked() && !connector.revokedAt().isAfter(clock.instant())
                || cache.isPresent() && cache.get().isRevoked(connector.id());
    }

    private static AuthResult refused(String message) {
        return new AuthResult.Refused(UNAUTHORIZED, message);
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
