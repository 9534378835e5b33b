package dev.parley.server.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.auth.ConnectorTokenHasher;
import dev.parley.server.auth.MutableClock;
import dev.parley.server.store.ApiKey;
import dev.parley.server.store.sqlite.SqliteStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorKeysTest {
    private static final byte[] SECRET = "a-server-secret-of-enough-length-0123".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    SqliteStore store;
    OperatorKeys keys;
    final MutableClock clock = MutableClock.at("2026-03-01T10:00:00Z");

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir);
        keys = new OperatorKeys(store.operators(), OperatorKeyHasher.fromServerSecret(SECRET), clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void keysAreLongRandomAndStoredOnlyAsAKeyedHashOfTheirOwnScheme() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            OperatorKeys.Issued issued = keys.issue("k" + i, new SecureRandom());
            assertThat(issued.key()).matches("pok_[A-Za-z0-9_-]{43}");
            assertThat(seen.add(issued.key())).isTrue();
            assertThat(issued.record().keyHash()).startsWith("h1:").doesNotContain(issued.key().substring(4));
        }
        String key = keys.issue("x", new SecureRandom()).key();
        // Same scheme as connector tokens, another derived key: one can never pass for the other.
        assertThat(OperatorKeyHasher.fromServerSecret(SECRET).hash(key))
                .isNotEqualTo(ConnectorTokenHasher.fromServerSecret(SECRET).hash(key));
        assertThat(OperatorKeyHasher.fromServerSecret("another-secret-of-enough-length-01234".getBytes(StandardCharsets.UTF_8))
                .hash(key)).isNotEqualTo(OperatorKeyHasher.fromServerSecret(SECRET).hash(key));
    }

    @Test
    void aKeyCountsFromTheNextRefreshAndARevokedOneStopsAtTheNext() {
        OperatorKeys.Issued issued = keys.issue("reporting", new SecureRandom());
        assertThat(keys.authenticate(issued.key())).as("not read yet").isEmpty();

        keys.refresh();
        assertThat(keys.authenticate(issued.key())).map(ApiKey::id).contains(issued.record().id());
        assertThat(keys.authenticate(issued.key() + "x")).isEmpty();
        assertThat(keys.authenticate("pct_" + issued.key().substring(4))).isEmpty();
        assertThat(keys.authenticate(null)).isEmpty();

        store.operators().revokeApiKey(issued.record().id(), clock.instant());
        assertThat(keys.authenticate(issued.key())).as("until the next refresh").isPresent();
        keys.refresh();
        assertThat(keys.authenticate(issued.key())).isEmpty();
    }
}
