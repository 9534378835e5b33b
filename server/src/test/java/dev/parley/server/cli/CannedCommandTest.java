package dev.parley.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.auth.MutableClock;
import dev.parley.server.config.ConfigLoader;
import dev.parley.server.desk.canned.CannedReply;
import dev.parley.server.store.Connector;
import dev.parley.server.store.sqlite.SqliteStore;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code parley admin canned}: against a real SQLite data directory and the default desk queues (support, sales). */
class CannedCommandTest {
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

    private List<CannedReply> stored() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            return store.cannedReplies().list("con_demo");
        }
    }

    private String add(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("admin", "canned", "add"));
        all.addAll(List.of(args));
        assertThat(run(all.toArray(String[]::new))).as(err.toString()).isZero();
        String[] lines = out.toString().strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    @Test
    void addStoresTheReplyForOneQueueOrAllAndPrintsItsId() {
        String id = add("--queue", "support", "--shortcut", "refund", "--title", "Refund policy",
                "--text", "Hi {{customer.name}}, refunds take 5 days.");
        String all = add("--all-queues", "--shortcut", "hello", "--title", "Greeting", "--text", "Hello!");

        assertThat(id).startsWith("cr_");
        assertThat(stored()).extracting(CannedReply::id).containsExactly(all, id);
        CannedReply refund = stored().get(1);
        assertThat(refund.queue()).isEqualTo("support");
        assertThat(refund.text()).isEqualTo("Hi {{customer.name}}, refunds take 5 days.");
        assertThat(refund.createdAt()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(stored().get(0).queue()).isNull();
    }

    @Test
    void listShowsEveryReplyOrThoseUsableInOneQueue() {
        assertThat(run("admin", "canned", "list")).isZero();
        assertThat(out.toString()).contains("No canned replies.");
        add("--queue", "support", "--shortcut", "refund", "--title", "Refund policy", "--text", "Refunds take 5 days.");
        add("--queue", "sales", "--shortcut", "price", "--title", "Prices", "--text", "See the price list.");
        add("--all-queues", "--shortcut", "hello", "--title", "Greeting", "--text", "Hello!");

        assertThat(run("admin", "canned", "list", "--queue", "sales")).isZero();
        assertThat(out.toString()).contains("/price", "/hello", "(all)").doesNotContain("/refund");
        assertThat(run("admin", "canned", "list")).isZero();
        assertThat(out.toString()).contains("/price", "/hello", "/refund", "Refunds take 5 days.");
    }

    @Test
    void editChangesOnlyWhatIsGivenAndRemoveDeletes() {
        String id = add("--queue", "support", "--shortcut", "refund", "--title", "Refund policy", "--text", "Old.");

        assertThat(run("admin", "canned", "edit", id, "--text", "New text.")).as(err.toString()).isZero();
        CannedReply edited = stored().get(0);
        assertThat(edited.text()).isEqualTo("New text.");
        assertThat(edited.title()).isEqualTo("Refund policy");
        assertThat(edited.shortcut()).isEqualTo("refund");

        assertThat(run("admin", "canned", "remove", id)).isZero();
        assertThat(stored()).isEmpty();
        assertThat(run("admin", "canned", "remove", id)).isEqualTo(2);
        assertThat(err.toString()).contains("no canned reply with id " + id);
    }

    @Test
    void mistakesAreRefusedWithExitCode2AndAClearMessage() {
        add("--queue", "support", "--shortcut", "refund", "--title", "Refund policy", "--text", "Refunds.");

        assertThat(run("admin", "canned", "add", "--queue", "support", "--shortcut", "refund", "--title", "Again",
                "--text", "x")).isEqualTo(2);
        assertThat(err.toString()).contains("shortcut refund is taken");
        assertThat(run("admin", "canned", "add", "--queue", "nope", "--shortcut", "x", "--title", "T", "--text", "x"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("no queue named nope").contains("support");
        assertThat(run("admin", "canned", "add", "--all-queues", "--shortcut", "x", "--title", "T", "--text", "  "))
                .isEqualTo(2);
        assertThat(err.toString()).contains("text must not be empty");
        assertThat(run("admin", "canned", "add", "--all-queues", "--shortcut", "Not Slug", "--title", "T", "--text", "x"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("shortcut must be");
        assertThat(run("admin", "canned", "add", "--all-queues", "--queue", "support", "--shortcut", "x", "--title", "T",
                "--text", "x")).as("one or the other").isEqualTo(2);
        assertThat(run("admin", "canned", "add", "--all-queues", "--shortcut", "x", "--title", "T", "--text",
                "y".repeat(4001))).isEqualTo(2);
        assertThat(run("admin", "canned", "add", "--all-queues", "--shortcut", "x", "--title", "T", "--text", "x",
                "--connector", "con_none")).isEqualTo(2);
        assertThat(err.toString()).contains("no connector with id con_none");
        assertThat(run("admin", "canned", "edit", "cr_none", "--text", "x")).isEqualTo(2);
        assertThat(run("admin", "canned", "edit", stored().get(0).id())).isEqualTo(2);
        assertThat(err.toString()).contains("nothing to change");
        assertThat(stored()).hasSize(1);
    }
}
