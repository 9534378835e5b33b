package dev.parley.server.datadir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parley.server.ParleyServer;
import dev.parley.server.auth.MutableClock;
import dev.parley.server.cli.CliContext;
import dev.parley.server.cli.ParleyCommand;
import dev.parley.server.cli.StoreOpener;
import dev.parley.server.config.ConfigLoader;
import dev.parley.server.config.ConfigOverrides;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.store.sqlite.SqliteStore;
import dev.parley.server.testing.Rest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Issue 9 item 5: the data directory is 0700 and every file in it 0600, for the server and the admin CLI. */
class DataDirFileModesTest {
    /** Everything a running server keeps in its data directory (the WAL and its index exist while it runs). */
    private static final String[] FILES = {"parley.db", "parley.db-wal", "parley.db-shm", "jwt.secret", "parley.lock"};

    @TempDir
    Path tmp;
    Path data;

    @BeforeEach
    void posixOnly() {
        assumeTrue(tmp.getFileSystem().supportedFileAttributeViews().contains("posix"), "modes are POSIX only");
        data = tmp.resolve("data");
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private void assertOwnerOnly() throws Exception {
        assertThat(mode(data)).as("mode of %s", data).isEqualTo("rwx------");
        for (String name : FILES) {
            assertThat(data.resolve(name)).exists();
            assertThat(mode(data.resolve(name))).as("mode of %s", name).isEqualTo("rw-------");
        }
    }

    /** A journalled exchange: the join is stored, then the scripted agent answers. */
    private static void converse(WsClient chat) {
        chat.replay();
        chat.join();
        chat.nextOfType("EVENT_TYPE_POLY_AGENT_MESSAGE");
    }

    @Test
    void aServerOnANewDirectoryMakesItAndEveryFileInItOwnerOnly() throws Exception {
        try (TestServer server = TestServer.start(data); WsClient chat = server.newSession(false)) {
            converse(chat);

            assertOwnerOnly();
        }
    }

    @Test
    void aServerTightensADirectoryAndFilesLeftWideByAnOlderVersion() throws Exception {
        try (SqliteStore store = SqliteStore.open(data)) {
            store.listConnectors();
        }
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(data.resolve("parley.db"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(data.resolve("jwt.secret"), "A".repeat(43));
        Files.setPosixFilePermissions(data.resolve("jwt.secret"), PosixFilePermissions.fromString("rw-r--r--"));

        try (TestServer server = TestServer.start(data); WsClient chat = server.newSession(false)) {
            converse(chat);

            assertOwnerOnly();
        }
    }

    /** Runs {@code admin connector create} on {@code data} as the admin CLI does; returns the token printed. */
    private String createConnectorWithTheCli(Map<String, String> env) {
        StringWriter out = new StringWriter();
        StoreOpener<SqliteStore> opener = c -> SqliteStore.open(c.dataDir());
        CliContext context = new CliContext(opener, new ConfigLoader(tmp.resolve("parley.yaml")), env,
                MutableClock.at("2026-03-01T10:00:00Z"), new SecureRandom());
        CommandLine cli = ParleyCommand.commandLine(context);
        cli.setOut(new PrintWriter(out, true));

        int code = cli.execute("admin", "connector", "create", "--host", "example.com", "--data-dir", data.toString());

        assertThat(code).as("exit code, output %s", out).isZero();
        Matcher token = Pattern.compile("Token: (pct_\\S+)").matcher(out.toString());
        assertThat(token.find()).as("token in %s", out).isTrue();
        return token.group(1);
    }

    @Test
    void theAdminCliCreatingAConnectorBesideTheRunningServerKeepsTheModesAndItsTokenWorks() throws Exception {
        try (TestServer server = TestServer.start(data)) {
            String token = createConnectorWithTheCli(Map.of());

            assertOwnerOnly();
            assertThat(server.rest().requestAccessToken(token, "example.com").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void withTheSecretInTheEnvironmentTheCliAndTheServerHashTokensAlike() {
        Map<String, String> env = Map.of(ConfigLoader.ENV_JWT_SECRET, "an operator's secret, 32 bytes or more");
        ParleyConfig config = new ConfigLoader(tmp.resolve("parley.yaml")).load(env,
                new ConfigOverrides(0, null, data, null, null, null, false, null, null, null, null, false));
        try (ParleyServer server = ParleyServer.start(config)) {
            String token = createConnectorWithTheCli(env);

            assertThat(data.resolve("jwt.secret")).doesNotExist();
            assertThat(new Rest("http://127.0.0.1:" + server.port()).requestAccessToken(token, "example.com").statusCode())
                    .isEqualTo(200);
        }
    }
}
