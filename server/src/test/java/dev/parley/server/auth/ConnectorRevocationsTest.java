package dev.parley.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.store.Connector;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The revocation snapshot behind every access-token check; the store is polled, never asked per token. */
class ConnectorRevocationsTest {
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final MutableClock clock = MutableClock.at("2026-01-01T12:00:00Z");
    private final InMemoryConnectorStore store = new InMemoryConnectorStore();
    private final List<Set<String>> heard = new ArrayList<>();
    private final ConnectorRevocations revocations = new ConnectorRevocations(store, clock, heard::add);
    private final AccessTokens tokens = new AccessTokens(SECRET, Duration.ofHours(24), clock, new SecureRandom(),
            revocations);
    private final Connector acme = new Connector("con_acme", "hash-acme", "acme.com", Instant.EPOCH, null);
    private final Connector beta = new Connector("con_beta", "hash-beta", "beta.com", Instant.EPOCH, null);

    ConnectorRevocationsTest() {
        store.createConnector(acme);
        store.createConnector(beta);
    }

    @Test
    void tokenIssuedBeforeTheRevokeIsRefusedOnceARefreshHasSeenIt() {
        String token = tokens.issue(acme).token();
        store.revokeConnector("con_acme", clock.instant());

        assertThat(tokens.verify(token)).as("not refreshed yet: the store is never read per token").isPresent();
        revocations.refresh();

        assertThat(tokens.verify(token)).isEmpty();
        assertThat(tokens.verify(tokens.issue(beta).token())).isPresent();
    }

    @Test
    void revocationDatedLaterTakesEffectWhenItsMomentComes() {
        store.revokeConnector("con_acme", clock.instant().plusSeconds(60));
        revocations.refresh();
        assertThat(revocations.isRevoked("con_acme")).isFalse();

        clock.advance(Duration.ofSeconds(60));
        revocations.refresh();

        assertThat(revocations.isRevoked("con_acme")).isTrue();
    }

    @Test
    void everyRefreshHandsOnTheWholeRevokedSetSoLateSocketsAreClosedToo() {
        revocations.refresh();
        store.revokeConnector("con_acme", clock.instant());
        revocations.refresh();
        revocations.refresh();

        assertThat(heard).as("nothing while nothing is revoked, then the set every time")
                .containsExactly(Set.of("con_acme"), Set.of("con_acme"));
    }

    @Test
    void connectorRecreatedUnrevokedIsTrustedAgainOnTheNextRefresh() {
        store.revokeConnector("con_acme", clock.instant());
        revocations.refresh();
        store.upsertConnector(acme); // what the demo flags do at start-up

        revocations.refresh();

        assertThat(revocations.isRevoked("con_acme")).isFalse();
    }
}
