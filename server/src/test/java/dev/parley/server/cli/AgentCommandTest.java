package dev.parley.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.auth.MutableClock;
import dev.parley.server.config.ConfigLoader;
import dev.parley.server.desk.DeskAgent;
import dev.parley.server.desk.Passwords;
import dev.parley.server.store.Connector;
import dev.parley.server.store.sqlite.SqliteStore;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AgentCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void demoConnectorExists() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            store.upsertConnector(new Connector("con_demo", "hash", "localhost", Instant.EPOCH, null));
        }
    }

    private int run(String stdin, String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        StoreOpener<SqliteStore> opener = c -> SqliteStore.open(c.dataDir());
        CliContext context = new CliContext(opener, new ConfigLoader(dir.resolve("parley.yaml")),
                Map.of("PARLEY_DATA_DIR", dir.toString()), MutableClock.at("2026-03-01T10:00:00Z"), new SecureRandom(),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), 4);
        CommandLine cli = ParleyCommand.commandLine(context);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private List<DeskAgent> agents() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            return store.listAgents();
        }
    }

    @Test
    void createStoresTheAgentWithABcryptHashAndPrintsItsId() {
        int code = run("s3cret-pw\n", "admin", "agent", "create", "--name", "Sarah", "--queue", "support",
                "--queue", "sales", "--capacity", "2", "--avatar-url", "https://x.test/s.png", "--password-stdin");

        assertThat(code).as(err.toString()).isZero();
        List<DeskAgent> agents = agents();
        assertThat(agents).hasSize(1);
        DeskAgent sarah = agents.get(0);
        assertThat(sarah).isEqualTo(new DeskAgent(sarah.id(), "con_demo", "Sarah", "https://x.test/s.png",
                List.of("support", "sales"), 2));
        assertThat(out.toString()).contains(sarah.id()).doesNotContain("s3cret-pw");
        try (SqliteStore store = SqliteStore.open(dir)) {
            String hash = store.passwordHash(sarah.id()).orElseThrow();
            assertThat(hash).startsWith("$2y$04$").doesNotContain("s3cret-pw");
            assertThat(new Passwords(4, new SecureRandom()).verify("s3cret-pw".toCharArray(), hash)).isTrue();
        }
    }

    @Test
    void supervisorMakesASupervisorAndListShowsTheRole() {
        assertThat(run("pw\n", "admin", "agent", "create", "--name", "Maria", "--queue", "support", "--supervisor",
                "--password-stdin")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Created supervisor");
        assertThat(run("pw\n", "admin", "agent", "create", "--name", "Tom", "--queue", "support", "--password-stdin"))
                .isZero();

        assertThat(agents()).extracting(DeskAgent::name, DeskAgent::role).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("Maria", DeskAgent.Role.SUPERVISOR),
                org.assertj.core.groups.Tuple.tuple("Tom", DeskAgent.Role.AGENT));
        assertThat(run("", "admin", "agent", "list")).isZero();
        assertThat(out.toString()).contains("ROLE").containsPattern("Maria .*supervisor");
    }

    @Test
    void anEmptyPasswordIsRefusedAndNothingIsStored() {
        int code = run("\n", "admin", "agent", "create", "--name", "Sarah", "--queue", "support", "--password-stdin");

        assertThat(code).isEqualTo(ParleyCommand.USAGE);
        assertThat(err.toString()).contains("password must not be empty");
        assertThat(agents()).isEmpty();
    }

    @Test
    void withoutAConsoleThePasswordIsReadFromStandardInput() {
        int code = run("pw-from-stdin\n", "admin", "agent", "create", "--name", "Tom", "--queue", "support");

        assertThat(code).as(err.toString()).isZero();
        assertThat(agents()).extracting(DeskAgent::name).containsExactly("Tom");
    }

    @Test
    void anUnknownConnectorOrATakenNameIsRefused() {
        assertThat(run("pw\n", "admin", "agent", "create", "--name", "Sarah", "--queue", "support",
                "--connector", "con_nope", "--password-stdin")).isEqualTo(ParleyCommand.USAGE);
        assertThat(err.toString()).contains("no connector with id con_nope");

        assertThat(run("pw\n", "admin", "agent", "create", "--name", "Sarah", "--queue", "support", "--password-stdin")).isZero();
        assertThat(run("pw\n", "admin", "agent", "create", "--name", "Sarah", "--queue", "sales", "--password-stdin"))
                .isEqualTo(ParleyCommand.USAGE);
        assertThat(err.toString()).contains("named Sarah exists");
        assertThat(agents()).hasSize(1);
    }

    @Test
    void listShowsAgentsButNeverAHash() {
        run("pw-one\n", "admin", "agent", "create", "--name", "Sarah", "--queue", "support", "--password-stdin");
        DeskAgent sarah = agents().get(0);

        int code = run("", "admin", "agent", "list");

        assertThat(code).isZero();
        assertThat(out.toString()).contains(sarah.id(), "Sarah", "con_demo", "support").doesNotContain("$2y$");
    }

    @Test
    void listWithoutAgentsSaysSo() {
        assertThat(run("", "admin", "agent", "list")).isZero();
        assertThat(out.toString()).contains("No live agents.");
    }
}
