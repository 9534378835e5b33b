package dev.parley.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.server.config.ParleyConfig;
import dev.parley.server.store.Connector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtSecretTest {
    @TempDir
    Path dir;

    @Test
    void secretIsCreatedOnceAndTheSameOnEveryLaterLoad() {
        Path dataDir = dir.resolve("data");

        byte[] first = JwtSecret.loadOrCreate(dataDir);
        byte[] second = JwtSecret.loadOrCreate(dataDir);

        assertThat(first).hasSize(32).isEqualTo(second);
        assertThat(dataDir.resolve("jwt.secret")).exists();
        assertThat(dataDir).isDirectoryNotContaining(p -> p.getFileName().toString().endsWith(".tmp"));
    }

    @Test
    void differentDataDirectoriesGetDifferentSecrets() {
        assertThat(JwtSecret.loadOrCreate(dir.resolve("a"))).isNotEqualTo(JwtSecret.loadOrCreate(dir.resolve("b")));
    }

    @Test
    void secretFileIsReadableByItsOwnerOnly() throws Exception {
        JwtSecret.loadOrCreate(dir);

        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(Files.getPosixFilePermissions(dir.resolve("jwt.secret")))
                    .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        }
    }

    @Test
    void tokensSignedBeforeARestartStillVerifyAfterIt() {
        var clock = MutableClock.at("2026-01-01T00:00:00Z");
        var before = new AccessTokens(JwtSecret.loadOrCreate(dir), Duration.ofHours(1), clock, new SecureRandom());
        String token = before.issue(new Connector("con_1", "h", "a.com", clock.instant(), null)).token();

        var after = new AccessTokens(JwtSecret.loadOrCreate(dir), Duration.ofHours(1), clock, new SecureRandom());

        assertThat(after.verify(token)).isPresent();
    }

    @Test
    void configuredSecretWinsOverTheDataDirectory() {
        byte[] configured = "s".repeat(32).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ParleyConfig withSecret = new ParleyConfig(ParleyConfig.DEFAULTS.bindAddress(), 0, dir,
                null, "localhost", Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ZERO, Duration.ofDays(1),
                Duration.ofHours(1), 10, 100, ParleyConfig.DEFAULTS.sessionMessageRate(), ParleyConfig.DEFAULTS.httpRate(),
                null, Duration.ZERO, configured, dev.parley.server.config.DeskConfig.DISABLED,
                dev.parley.server.config.AgentsConfig.DEFAULTS, ParleyConfig.HandshakeFailureLimits.DEFAULTS,
                ParleyConfig.HttpTimeouts.DEFAULTS, ParleyConfig.Outbound.DEFAULTS, ParleyConfig.Capacity.DEFAULTS,
                dev.parley.server.config.StoreConfig.DEFAULTS, dev.parley.server.config.FanOutConfig.DEFAULTS,
                ParleyConfig.Leases.DEFAULTS, dev.parley.server.webhooks.WebhookDeliverySettings.DEFAULTS);

        assertThat(JwtSecret.forConfig(withSecret)).isEqualTo(configured);
        assertThat(dir.resolve("jwt.secret")).doesNotExist();
        assertThat(JwtSecret.forConfig(ParleyConfig.DEFAULTS.withDataDir(dir))).isEqualTo(JwtSecret.loadOrCreate(dir));
    }

    @Test
    void truncatedSecretFileIsReportedNotSilentlyUsed() throws Exception {
        Files.writeString(dir.resolve("jwt.secret"), "c2hvcnQ");

        assertThatThrownBy(() -> JwtSecret.loadOrCreate(dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("jwt.secret");
    }
}
