package dev.parley.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.auth.ConnectorTokenHasher;
import dev.parley.server.auth.JwtSecret;
import dev.parley.server.auth.InMemoryConnectorStore;
import dev.parley.server.auth.MutableClock;
import dev.parley.server.config.ConfigLoader;
import dev.parley.server.config.ConfigOverrides;
import dev.parley.server.store.Connector;
import dev.parley.server.testing.TestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ParleyCommandTest {
    @TempDir
    Path dir;

    private final InMemoryConnectorStore store = new InMemoryConnectorStore();
    private final List<Path> openedDirs = new ArrayList<>();
    private final MutableClock clock = MutableClock.at("2026-03-01T10:00:00Z");
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        StoreOpener<InMemoryConnectorStore> opener = config -> {
            openedDirs.add(config.dataDir());
            return store;
        };
        CliContext context = new CliContext(opener, new ConfigLoader(dir.resolve("parley.yaml")),
                Map.of("PARLEY_DATA_DIR", dir.resolve("env-data").toString()), clock, new SecureRandom());
        CommandLine cli = ParleyCommand.commandLine(context);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private String createdToken() {
        Matcher m = Pattern.compile("Token: (pct_\\S+)").matcher(out.toString());
        assertThat(m.find()).as("token line in %s", out).isTrue();
        return m.group(1);
    }

    @Test
    void createPrintsTheTokenOnceAndStoresOnlyItsHash() {
        int code = run("admin", "connector", "create", "--host", "https://www.YourCompany.com/", "--data-dir", dir.toString());

        assertThat(code).isZero();
        String token = createdToken();
        assertThat(out.toString()).containsOnlyOnce(token).contains("cannot be shown again");
        Connector stored = store.listConnectors().get(0);
        assertThat(stored.id()).startsWith("con_");
        assertThat(stored.host()).isEqualTo("www.yourcompany.com");
        assertThat(stored.tokenHash())
                .isEqualTo(ConnectorTokenHasher.fromServerSecret(JwtSecret.loadOrCreate(dir)).hash(token))
                .doesNotContain(token);
        assertThat(stored.createdAt()).isEqualTo(clock.instant());
        assertThat(openedDirs).containsExactly(dir);
        assertThat(store.closed).isTrue();
    }

    @Test
    void listShowsIdHostAndDatesButNeverTheTokenOrItsHash() {
        run("admin", "connector", "create", "--host", "yourcompany.com");
        String token = createdToken();
        Connector created = store.listConnectors().get(0);

        int code = run("admin", "connector", "list");

        assertThat(code).isZero();
        assertThat(out.toString())
                .contains("ID", "HOST", "CREATED", "REVOKED", created.id(), "yourcompany.com", "2026-03-01T10:00:00Z")
                .doesNotContain(token, created.tokenHash(), "pct_");
    }

    @Test
    void listOfNoConnectorsSaysSo() {
        assertThat(run("admin", "connector", "list")).isZero();
        assertThat(out.toString()).contains("No connectors.");
    }

    @Test
    void revokeMarksTheConnectorRevokedAndListShowsWhen() {
        run("admin", "connector", "create", "--host", "yourcompany.com");
        String id = store.listConnectors().get(0).id();
        clock.advance(Duration.ofHours(1));

        assertThat(run("admin", "connector", "revoke", id)).isZero();
        assertThat(out.toString()).contains("Revoked connector " + id);
        assertThat(store.findConnector(id).orElseThrow().revokedAt()).isEqualTo(clock.instant());
        run("admin", "connector", "list");
        assertThat(out.toString()).contains("2026-03-01T11:00:00Z");
    }

    @Test
    void revokingTwiceKeepsTheFirstRevocationTime() {
        run("admin", "connector", "create", "--host", "yourcompany.com");
        String id = store.listConnectors().get(0).id();
        run("admin", "connector", "revoke", id);
        clock.advance(Duration.ofHours(1));

        assertThat(run("admin", "connector", "revoke", id)).isZero();
        assertThat(out.toString()).contains("already revoked at 2026-03-01T10:00:00Z");
    }

    @Test
    void revokingAnUnknownIdExitsWithNotFound() {
        assertThat(run("admin", "connector", "revoke", "con_nope")).isEqualTo(1);
        assertThat(err.toString()).contains("no connector with id con_nope");
    }

    @Test
    void adminCommandsUseTheDataDirectoryFromTheEnvironmentWithoutTheFlag() {
        run("admin", "connector", "list");

        assertThat(openedDirs).containsExactly(dir.resolve("env-data"));
    }

    @Test
    void createWithoutHostIsAUsageError() {
        assertThat(run("admin", "connector", "create")).isEqualTo(2);
        assertThat(err.toString()).contains("--host");
        assertThat(store.listConnectors()).isEmpty();
    }

    @Test
    void createWithAnUnusableHostIsAUsageError() {
        assertThat(run("admin", "connector", "create", "--host", "not a host")).isEqualTo(2);
        assertThat(store.listConnectors()).isEmpty();
    }

    @Test
    void unknownSubcommandOrMissingSubcommandIsAUsageError() {
        assertThat(run("admin", "connector", "delete", "x")).isEqualTo(2);
        assertThat(run()).isEqualTo(2);
    }

    @Test
    void helpAndVersionExitCleanly() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("serve", "admin");
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).contains("parley");
    }

    @Test
    void serveFlagsBecomeConfigOverrides() {
        ServeCommand serve = new ServeCommand(null);
        new CommandLine(serve).parseArgs("--port", "0", "--bind", "0.0.0.0", "--data-dir", "d", "--config", "c.yaml",
                "--demo-connector-token", "t", "--demo-connector-host", "h", "--heartbeat-interval", "15s",
                "--idle-timeout", "2m", "--session-inactivity-timeout", "500ms", "--flow", "f.yaml");

        assertThat(serve.overrides()).isEqualTo(new ConfigOverrides(0, "0.0.0.0", Path.of("d"), Path.of("c.yaml"), "t", "h",
                false, Duration.ofSeconds(15), Duration.ofMinutes(2), Duration.ofMillis(500), Path.of("f.yaml")));
    }

    @Test
    void serveWithoutFlagsOverridesNothing() {
        ServeCommand serve = new ServeCommand(null);
        new CommandLine(serve).parseArgs();

        assertThat(serve.overrides()).isEqualTo(ConfigOverrides.NONE);
    }

    @Test
    void serveRejectsABadDurationAsAUsageError() {
        assertThat(run("serve", "--idle-timeout", "soon")).isEqualTo(2);
        assertThat(err.toString()).contains("--idle-timeout").contains("not a duration");
    }

    @Test
    void serveReportsAnInvalidConfigurationAsAUsageError() {
        assertThat(run("serve", "--port", "70000")).isEqualTo(2);
        assertThat(err.toString()).contains("port must be between 0 and 65535");
    }

    @Test
    @Timeout(60)
    void serveOnADataDirectoryInUseByAnotherServerPrintsWhyAndFails() {
        Path data = dir.resolve("shared-data");
        try (TestServer running = TestServer.start(data)) {
            int code = run("serve", "--port", "0", "--data-dir", data.toString());

            assertThat(code).isEqualTo(ParleyCommand.FAILURE);
            assertThat(err.toString()).contains("error: data directory " + data.toAbsolutePath())
                    .contains("in use by another Parley server");
        }
    }
}
