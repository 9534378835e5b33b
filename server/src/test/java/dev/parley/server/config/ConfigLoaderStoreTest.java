package dev.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code store:} in parley.yaml and {@code PARLEY_STORE_*}: SQLite unless told, PostgreSQL with a shared secret. */
class ConfigLoaderStoreTest {
    private static final String SECRET = "s".repeat(32);

    @TempDir
    Path dir;

    private ParleyConfig load(String yaml, Map<String, String> env) throws IOException {
        Files.writeString(dir.resolve("parley.yaml"), yaml);
        return new ConfigLoader(dir.resolve("parley.yaml")).load(env, ConfigOverrides.NONE);
    }

    @Test
    void withoutAStoreSectionTheNodeKeepsItsDataInSqlite() throws IOException {
        assertThat(load("", Map.of()).store()).isEqualTo(StoreConfig.DEFAULTS);
        assertThat(StoreConfig.DEFAULTS.kind()).isEqualTo(StoreConfig.Kind.SQLITE);
    }

    @Test
    void aPostgresStoreReadsItsPasswordFromTheNamedEnvironmentVariable() throws IOException {
        ParleyConfig config = load("""
                store:
                  kind: postgres
                  url: jdbc:postgresql://db.internal:5432/parley
                  user: parley
                  password_env: PG_PASSWORD
                  pool_size: 20
                """, Map.of("PG_PASSWORD", "pw-1", "PARLEY_JWT_SECRET", SECRET));

        StoreConfig store = config.store();
        assertThat(store.kind()).isEqualTo(StoreConfig.Kind.POSTGRES);
        assertThat(store.url()).isEqualTo("jdbc:postgresql://db.internal:5432/parley");
        assertThat(store.user()).isEqualTo("parley");
        assertThat(store.password()).isEqualTo(new Secret("pw-1"));
        assertThat(store.poolSize()).isEqualTo(20);
        assertThat(store.toString()).doesNotContain("pw-1");
    }

    @Test
    void environmentVariablesSelectPostgresAndTheSecretsMayComeFromFiles() throws IOException {
        Path password = Files.writeString(dir.resolve("pg.password"), "pw-2\n");
        Path jwt = Files.writeString(dir.resolve("jwt"), SECRET + "\n");

        ParleyConfig config = load("", Map.of(
                "PARLEY_STORE_KIND", "postgres",
                "PARLEY_STORE_URL", "jdbc:postgresql://localhost/parley",
                "PARLEY_STORE_USER", "app",
                "PARLEY_STORE_PASSWORD_FILE", password.toString(),
                "PARLEY_STORE_POOL_SIZE", "3",
                "PARLEY_JWT_SECRET_FILE", jwt.toString()));

        assertThat(config.store()).isEqualTo(new StoreConfig(StoreConfig.Kind.POSTGRES, "jdbc:postgresql://localhost/parley",
                "app", null, password, new Secret("pw-2"), 3, true));
        assertThat(config.jwtSecret()).isEqualTo(SECRET.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void postgresWithoutASharedJwtSecretRefusesToStartAndSaysWhatToSet() {
        assertThatThrownBy(() -> load("store: {kind: postgres, url: 'jdbc:postgresql://localhost/parley'}\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("PARLEY_JWT_SECRET").hasMessageContaining("PARLEY_JWT_SECRET_FILE");
    }

    @Test
    void aPasswordWrittenInTheFileOrTheUrlIsRefused() {
        assertThatThrownBy(() -> load("store: {kind: postgres, url: 'jdbc:postgresql://h/db', password: hunter2}\n",
                Map.of("PARLEY_JWT_SECRET", SECRET)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("store.password_env")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> load("store: {kind: postgres, url: 'jdbc:postgresql://h/db?password=hunter2'}\n",
                Map.of("PARLEY_JWT_SECRET", SECRET)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("must not carry the password")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void aMissingPasswordVariableAnUnknownKindOrANonPostgresUrlIsNamed() {
        Map<String, String> env = Map.of("PARLEY_JWT_SECRET", SECRET);
        assertThatThrownBy(() -> load("store: {kind: postgres, url: 'jdbc:postgresql://h/db', password_env: NOPE}\n", env))
                .hasMessageContaining("store.password_env").hasMessageContaining("NOPE");
        assertThatThrownBy(() -> load("store: {kind: mysql}\n", env)).hasMessageContaining("store.kind");
        assertThatThrownBy(() -> load("store: {kind: postgres, url: 'jdbc:mysql://h/db'}\n", env))
                .hasMessageContaining("store.url");
        assertThatThrownBy(() -> load("store: {kind: postgres, url: 'jdbc:postgresql://h/db', pool: 3}\n", env))
                .hasMessageContaining("unknown key 'store.pool'");
    }

    @Test
    void startUpMigrationIsOnUnlessTheFileOrTheEnvironmentTurnsItOff() throws IOException {
        assertThat(load("", Map.of()).store().migrateOnStart()).isTrue();
        assertThat(load("store: {migrate_on_start: false}\n", Map.of()).store().migrateOnStart()).isFalse();
        assertThat(load("store: {migrate_on_start: false}\n", Map.of("PARLEY_STORE_MIGRATE_ON_START", "true"))
                .store().migrateOnStart()).as("the environment wins over the file").isTrue();
        assertThat(load("", Map.of("PARLEY_STORE_MIGRATE_ON_START", "false")).store().migrateOnStart()).isFalse();
        assertThatThrownBy(() -> load("", Map.of("PARLEY_STORE_MIGRATE_ON_START", "no")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("PARLEY_STORE_MIGRATE_ON_START");
        assertThatThrownBy(() -> load("store: {migrate_on_start: 1}\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("store.migrate_on_start");
    }

    @Test
    void aBase64SecretFileGivesTheSameBytesAsTheDataDirectorysSecret() throws IOException {
        Path dataDir = dir.resolve("data");
        byte[] embedded = dev.parley.server.auth.JwtSecret.loadOrCreate(dataDir);

        ParleyConfig config = load("", Map.of("PARLEY_JWT_SECRET_BASE64_FILE", dataDir.resolve("jwt.secret").toString()));

        assertThat(config.jwtSecret()).isEqualTo(embedded);
        assertThatThrownBy(() -> load("", Map.of("PARLEY_JWT_SECRET_BASE64_FILE", dataDir.resolve("jwt.secret").toString(),
                "PARLEY_JWT_SECRET", SECRET)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not several");
    }

    @Test
    void leaseVariablesOverrideTheYamlAndAreCheckedTogether() throws IOException {
        String yaml = """
                store:
                  lease_ttl_seconds: 10
                  lease_renew_seconds: 3
                """;
        ParleyConfig config = load(yaml, Map.of(
                "PARLEY_STORE_LEASE_TTL_SECONDS", "4",
                "PARLEY_STORE_LEASE_RENEW_SECONDS", "1"));
        assertThat(config.leases()).isEqualTo(new ParleyConfig.Leases(Duration.ofSeconds(4), Duration.ofSeconds(1)));

        assertThat(load(yaml, Map.of("PARLEY_STORE_LEASE_TTL_SECONDS", "20")).leases())
                .isEqualTo(new ParleyConfig.Leases(Duration.ofSeconds(20), Duration.ofSeconds(3)));
        assertThatThrownBy(() -> load(yaml, Map.of("PARLEY_STORE_LEASE_RENEW_SECONDS", "10")))
                .hasMessageContaining("store.lease_renew_seconds must be shorter");
        assertThatThrownBy(() -> load("", Map.of("PARLEY_STORE_LEASE_TTL_SECONDS", "ten")))
                .hasMessageContaining("PARLEY_STORE_LEASE_TTL_SECONDS");
    }
}
