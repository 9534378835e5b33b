package dev.parley.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.auth.ContextKeySealer;
import dev.parley.server.auth.JwtSecret;
import dev.parley.server.config.ConfigLoader;
import dev.parley.server.store.Connector;
import dev.parley.server.store.ContextKey;
import dev.parley.server.store.sqlite.SqliteStore;
import dev.parley.server.auth.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code parley admin connector context-key add|list|remove} against a real SQLite data directory. */
class ContextKeyCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void connectorExists() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            store.upsertConnector(new Connector("con_demo", "hash", "localhost", java.time.Instant.EPOCH, null));
        }
    }

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        StoreOpener<SqliteStore> opener = c -> SqliteStore.open(c.dataDir());
        CliContext context = new CliContext(opener, new ConfigLoader(dir.resolve("parley.yaml")),
                Map.of("PARLEY_DATA_DIR", dir.toString()), MutableClock.at("2026-03-01T10:00:00Z"), new SecureRandom(),
                new ByteArrayInputStream(new byte[0]), 4);
        CommandLine cli = ParleyCommand.commandLine(context);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private List<ContextKey> keys() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            return store.listContextKeys("con_demo");
        }
    }

    @Test
    void addPrintsTheSecretOnceAndStoresItOnlySealed() throws Exception {
        assertThat(run("admin", "connector", "context-key", "add", "con_demo", "--kid", "site-1")).as(err.toString()).isZero();
        Matcher secret = Pattern.compile("Secret: ([A-Za-z0-9_-]{43})\\n").matcher(out.toString());
        assertThat(secret.find()).as(out.toString()).isTrue();

        ContextKey key = keys().get(0);
        assertThat(key.keyId()).isEqualTo("site-1");
        assertThat(key.sealedSecret()).startsWith("s1:").doesNotContain(secret.group(1));
        byte[] opened = ContextKeySealer.fromServerSecret(JwtSecret.loadOrCreate(dir), new SecureRandom())
                .open("con_demo", "site-1", key.sealedSecret());
        assertThat(new String(opened, StandardCharsets.US_ASCII)).isEqualTo(secret.group(1));
        assertThat(Files.readAllBytes(dir.resolve("parley.db"))).asString(StandardCharsets.ISO_8859_1)
                .doesNotContain(secret.group(1));
    }

    @Test
    void listShowsKeyIdsAndDatesButNeverSecrets() {
        run("admin", "connector", "context-key", "add", "con_demo", "--kid", "site-1");
        String secret = out.toString().replaceAll("(?s).*Secret: (\\S+).*", "$1");
        run("admin", "connector", "context-key", "add", "con_demo");

        assertThat(run("admin", "connector", "context-key", "list", "con_demo")).isZero();
        assertThat(out.toString()).contains("KID", "site-1", "ck_", "2026-03-01T10:00:00Z").doesNotContain(secret);
        assertThat(keys()).hasSize(2);
    }

    @Test
    void removeDeletesTheKeyAndSaysSoWhenThereIsNone() {
        run("admin", "connector", "context-key", "add", "con_demo", "--kid", "site-1");

        assertThat(run("admin", "connector", "context-key", "remove", "con_demo", "site-1")).isZero();
        assertThat(out.toString()).contains("Removed context key site-1");
        assertThat(keys()).isEmpty();
        assertThat(run("admin", "connector", "context-key", "remove", "con_demo", "site-1")).isEqualTo(ParleyCommand.NOT_FOUND);
        assertThat(err.toString()).contains("has no context key site-1");
    }

    @Test
    void anUnknownConnectorADuplicateKidAndABadKidAreRefused() {
        assertThat(run("admin", "connector", "context-key", "add", "con_nobody")).isEqualTo(ParleyCommand.NOT_FOUND);
        assertThat(err.toString()).contains("no connector with id con_nobody");
        run("admin", "connector", "context-key", "add", "con_demo", "--kid", "site-1");
        assertThat(run("admin", "connector", "context-key", "add", "con_demo", "--kid", "site-1")).isEqualTo(ParleyCommand.USAGE);
        assertThat(err.toString()).contains("already has a context key site-1");
        assertThat(run("admin", "connector", "context-key", "add", "con_demo", "--kid", "bad kid")).isEqualTo(ParleyCommand.USAGE);
        assertThat(keys()).hasSize(1);
    }
}
