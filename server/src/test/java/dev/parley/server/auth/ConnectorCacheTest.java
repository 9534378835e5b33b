package dev.parley.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ErrorMessages;
import dev.parley.server.store.Connector;
import dev.parley.server.store.ConnectorStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 10: the access-token route answers a connector token it has read since the last revocation
 * poll from memory, without the store; a revocation or any other change in the store is seen after
 * the next poll, as before.
 */
class ConnectorCacheTest {
    private static final String TOKEN = "pct_good";
    private static final String HOST = "https://app.yourcompany.com";
    private static final ConnectorTokenHasher HASHER = ConnectorTokenHasher.fromServerSecret(new byte[32]);
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final InMemoryConnectorStore store = new InMemoryConnectorStore();
    private final AtomicInteger storeReads = new AtomicInteger();
    private final ConnectorRevocations revocations = new ConnectorRevocations(store, clock, ids -> { });
    private final ConnectorAuthenticator authenticator = new ConnectorAuthenticator(counting(store), HASHER, clock,
            new ConnectorCache(revocations, ConnectorCache.DEFAULT_CAPACITY));
    private final Connector connector = new Connector("con_1", HASHER.hash(TOKEN), "yourcompany.com",
            clock.instant(), null);

    ConnectorCacheTest() {
        store.createConnector(connector);
        revocations.refresh();
    }

    @Test
    void aConnectorTokenAlreadyReadIsAnsweredFromMemoryWithoutTheStore() {
        assertThat(authenticator.authenticateFromMemory(TOKEN, HOST)).as("never read yet").isEmpty();
        assertThat(authenticator.authenticate(TOKEN, HOST)).isEqualTo(new AuthResult.Authenticated(connector));

        for (int i = 0; i < 3; i++) {
            assertThat(authenticator.authenticateFromMemory(TOKEN, HOST))
                    .contains(new AuthResult.Authenticated(connector));
        }
        assertThat(authenticator.authenticateFromMemory(TOKEN, "evil.example"))
                .contains(new AuthResult.Refused(401, ErrorMessages.CONNECTOR_HOST_MISMATCH));
        assertThat(storeReads).hasValue(1);
    }

    @Test
    void aConnectorRevokedInTheStoreIsRefusedOnceThePollHasSeenIt() {
        authenticator.authenticate(TOKEN, HOST);
        store.revokeConnector("con_1", clock.instant());

        revocations.refresh();

        assertThat(authenticator.authenticateFromMemory(TOKEN, HOST)).as("the entry is older than the poll").isEmpty();
        AuthResult.Refused unknown = new AuthResult.Refused(401, ErrorMessages.CONNECTOR_TOKEN_UNKNOWN);
        assertThat(authenticator.authenticate(TOKEN, HOST)).isEqualTo(unknown);
        assertThat(authenticator.authenticateFromMemory(TOKEN, HOST)).as("remembered as revoked").contains(unknown);
    }

    @Test
    void aHitIsRefusedWhenTheLastPollListsItsConnectorEvenIfTheEntryLooksFresh() {
        long poll = revocations.refreshes();
        store.revokeConnector("con_1", clock.instant());
        revocations.refresh();
        // A read that started before that poll and finished after it: remembered under the old poll.
        ConnectorCache cache = new ConnectorCache(revocations, ConnectorCache.DEFAULT_CAPACITY);
        cache.remember(HASHER.hash(TOKEN), connector, poll);

        assertThat(cache.find(HASHER.hash(TOKEN))).as("older than the latest poll").isEmpty();
        assertThat(cache.isRevoked("con_1")).isTrue();
    }

    @Test
    void aConnectorChangedInTheStoreIsReadAgainAfterTheNextPoll() {
        authenticator.authenticate(TOKEN, HOST);
        store.upsertConnector(new Connector("con_1", HASHER.hash(TOKEN), "other.example", clock.instant(), null));

        revocations.refresh();

        assertThat(authenticator.authenticateFromMemory(TOKEN, HOST)).isEmpty();
        assertThat(authenticator.authenticate(TOKEN, HOST))
                .isEqualTo(new AuthResult.Refused(401, ErrorMessages.CONNECTOR_HOST_MISMATCH));
        assertThat(storeReads).hasValue(2);
    }

    @Test
    void unknownTokensAreNeverRememberedAndMissingHeadersNeedNoStore() {
        assertThat(authenticator.authenticate("pct_unknown", HOST))
                .isEqualTo(new AuthResult.Refused(401, ErrorMessages.CONNECTOR_TOKEN_UNKNOWN));

        assertThat(authenticator.authenticateFromMemory("pct_unknown", HOST)).isEmpty();
        assertThat(authenticator.authenticateFromMemory(null, HOST))
                .contains(new AuthResult.Refused(401, ErrorMessages.MISSING_AUTH_HEADERS));
    }

    /** The store, counting reads by token hash. */
    private ConnectorStore counting(ConnectorStore delegate) {
        return new ConnectorStore() {
            @Override
            public void createConnector(Connector c) {
                delegate.createConnector(c);
            }

            @Override
            public void upsertConnector(Connector c) {
                delegate.upsertConnector(c);
            }

            @Override
            public Optional<Connector> findConnectorByTokenHash(String tokenHash) {
                storeReads.incrementAndGet();
                return delegate.findConnectorByTokenHash(tokenHash);
            }

            @Override
            public Optional<Connector> findConnector(String id) {
                return delegate.findConnector(id);
            }

            @Override
            public List<Connector> listConnectors() {
                return delegate.listConnectors();
            }

            @Override
            public boolean replaceTokenHash(String id, String expected, String replacement) {
                return delegate.replaceTokenHash(id, expected, replacement);
            }

            @Override
            public boolean revokeConnector(String id, java.time.Instant at) {
                return delegate.revokeConnector(id, at);
            }
        };
    }
}
