package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.server.testing.ParleyTest;
import dev.parley.server.testing.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code parley chat}, {@code bench} and {@code serve} as real processes, with pipes for stdin and
 * stdout (not a terminal): what they print, and how they exit (issue 13).
 */
@ParleyTest
class TerminalProcessesTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Far below the SDK's retries against a dead address (33 s and more), far above a JVM's start. */
    private static final long PROMPTLY = 20;
    private static final String ESC = "\u001b";

    static TestServer server;

    @TempDir
    Path dir;

    @Test
    void chatAndBenchSayAtOnceThatNothingListens() throws Exception {
        String url = "http://127.0.0.1:" + closedPort();
        String expected = "cannot connect to " + url + ": connection refused \u2014 is Parley running? use --url";
        for (String command : List.of("chat", "bench")) {
            try (CliProcess p = CliProcess.start(dir, Map.of(), command, "--url", url)) {
                assertThat(p.exitCode(PROMPTLY)).as(command).isEqualTo(1);
                assertThat(p.err()).as(command).contains("error: " + expected);
                assertThat(p.out() + p.err()).as(command).doesNotContain(ESC).doesNotContain("Exception");
            }
        }
    }

    @Test
    void aChatWrapsAtWordsShowsTheUsersLineOnceAndEndsWithSlashEnd() throws Exception {
        try (CliProcess chat = chat(Map.of("COLUMNS", "40"))) {
            await().atMost(WAIT).until(() -> chat.out().contains("3) Show me the menu"));
            chat.type("What are your opening hours?");
            await().atMost(WAIT).until(() -> chat.out().contains("kitchen rests."));
            chat.type("/end");

            assertThat(chat.exitCode(PROMPTLY)).isZero();
            String out = chat.out();
            assertThat(out).doesNotContain(ESC);
            assertThat(occurrences(out, "What are your opening hours?")).as("the user's line, once: %s", out).isEqualTo(1);
            List<String> lines = Arrays.asList(out.split("\n"));
            assertThat(lines).as("wrapped to 39 columns").allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(39));
            assertThat(lines).contains("* Ada joined the conversation", "* Session ended: USER_END");
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("Ada: We're open Tuesday to"));
            assertThat(lines).as("continuation lines under the text, words whole")
                    .anySatisfy(l -> assertThat(l).startsWith("     ").doesNotEndWith("-"));
            assertThat(String.join(" ", lines).replaceAll("\\s+", " "))
                    .contains("lunch from noon to 3 pm and dinner from 6 pm to 11 pm");
        }
    }

    @Test
    void aChatLeavesCleanlyAtTheEndOfInput() throws Exception {
        try (CliProcess chat = chat(Map.of())) {
            await().atMost(WAIT).until(() -> chat.out().contains("3) Show me the menu"));
            chat.endOfInput();

            assertThat(chat.exitCode(PROMPTLY)).isZero();
            assertThat(chat.out()).contains("Bye. Resume with: parley chat --session ");
            assertThat(chat.out() + chat.err()).doesNotContain("Exception").doesNotContain(ESC);
        }
    }

    @Test
    void aChatLeavesCleanlyOnCtrlC() throws Exception {
        try (CliProcess chat = chat(Map.of())) {
            await().atMost(WAIT).until(() -> chat.out().contains("3) Show me the menu"));
            chat.interrupt();

            assertThat(chat.exitCode(PROMPTLY)).as("SIGINT").isEqualTo(130);
            assertThat(chat.out()).contains("Bye. Resume with: parley chat --session ");
            assertThat(chat.out() + chat.err()).doesNotContain("Exception").doesNotContain(ESC);
        }
    }

    @Test
    void serveSaysWhereItListensOnceAndWhenItStops() throws Exception {
        try (CliProcess serve = CliProcess.start(dir, Map.of(), "serve", "--port", "0", "--no-desk",
                "--data-dir", dir.resolve("data").toString())) {
            await().atMost(WAIT).until(() -> serve.out().contains("Demo connector:"));
            Matcher listening = Pattern.compile("Parley listening on http://127\\.0\\.0\\.1:(\\d+) \\(data in ").matcher(serve.out());
            assertThat(listening.find()).as(serve.out()).isTrue();
            serve.interrupt();

            assertThat(serve.exitCode(PROMPTLY)).isEqualTo(130);
            assertThat(occurrences(serve.out(), "listening on")).as(serve.out()).isEqualTo(1);
            assertThat(serve.out()).contains("Parley stopping").contains("Parley stopped.");
            assertThat(serve.out() + serve.err()).doesNotContain(ESC).doesNotContain("Exception");
        }
    }

    @Test
    void serveOnAPortInUseSaysSoAndHowToChooseAnother() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             CliProcess serve = CliProcess.start(dir, Map.of(), "serve", "--port", String.valueOf(taken.getLocalPort()),
                     "--no-desk", "--data-dir", dir.resolve("data").toString())) {
            assertThat(serve.exitCode(PROMPTLY)).isEqualTo(1);
            assertThat(serve.err()).contains("address already in use").contains("--port").contains("PARLEY_PORT");
            assertThat(serve.out()).doesNotContain("listening on");
        }
    }

    @Test
    void configurationAndFlowErrorsExitWithTheSameCode() throws Exception {
        Path badConfig = Files.writeString(dir.resolve("bad.yaml"), "prot: 8080\n");
        Path badFlow = Files.writeString(dir.resolve("bad-flow.yaml"), "greeting: [not, a, reply]\n");
        Path unknownQueue = Files.writeString(dir.resolve("flow.yaml"), String.join("\n",
                "agent: {name: Ada, avatar_url: https://example.com/ada.png}",
                "greeting: {text: Hi}",
                "intents:",
                "  - name: human",
                "    keywords: [person]",
                "    reply: {text: One moment.}",
                "    action: handoff",
                "    handoff: {reason: COMPLEX_QUERY, queue: billing}",
                "fallback: {text: Sorry}", ""));
        int config = serveExit("unknown key 'prot'", "--config", badConfig.toString());
        int flow = serveExit("missing required field", "--flow", badFlow.toString());
        int queue = serveExit("intent \"human\": handoff.queue: 'billing' is not a queue of the desk (desk.queues: support, sales)",
                "--flow", unknownQueue.toString());

        assertThat(List.of(config, flow, queue)).containsOnly(2);
    }

    private int serveExit(String expected, String... args) throws Exception {
        String[] all = new String[args.length + 5];
        System.arraycopy(new String[] {"serve", "--port", "0", "--data-dir", dir.resolve("data").toString()}, 0, all, 0, 5);
        System.arraycopy(args, 0, all, 5, args.length);
        try (CliProcess serve = CliProcess.start(dir, Map.of(), all)) {
            int code = serve.exitCode(PROMPTLY);
            assertThat(serve.err()).contains(expected);
            assertThat(serve.out()).doesNotContain("listening on");
            return code;
        }
    }

    private CliProcess chat(Map<String, String> env) {
        return CliProcess.start(dir, env, "chat", "--url", server.baseUrl(), "--token", TestServer.TOKEN,
                "--host", TestServer.HOST);
    }

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
