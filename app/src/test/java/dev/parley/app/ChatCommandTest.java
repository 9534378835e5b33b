package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.server.testing.ParleyTest;
import dev.parley.server.testing.TestServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code parley chat} against a real server, typed into through a pipe. */
@ParleyTest
class ChatCommandTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    static TestServer server;

    @Test
    void aMessageASuggestionNumberAndQuit() throws Exception {
        PipedWriter keyboard = new PipedWriter();
        BufferedReader in = new BufferedReader(new PipedReader(keyboard));
        StringWriter screen = new StringWriter();
        PrintWriter out = new PrintWriter(screen, true);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Parley.commandLine(in, out)
                .execute("chat", "--url", server.baseUrl(), "--token", TestServer.TOKEN, "--host", TestServer.HOST));

        await().atMost(WAIT).until(() -> screen.toString().contains("Hi, I'm Ada"));
        await().atMost(WAIT).until(() -> screen.toString().contains("3) Show me the menu"));
        assertThat(screen.toString()).contains("Ada joined", "1) Opening hours", "2) Book a table");

        type(keyboard, "What are your opening hours?");
        await().atMost(WAIT).until(() -> screen.toString().contains("On Mondays the kitchen rests."));
        assertThat(screen.toString()).contains("Ada: We're open Tuesday to Sunday");
        await().atMost(WAIT).until(() -> screen.toString().contains("✓ What are your opening hours?"));

        // The hours reply offers 1) Book a table 2) Show me the menu.
        type(keyboard, "2");
        await().atMost(WAIT).until(() -> screen.toString().contains("[Tonight's menu] " + server.baseUrl() + "/widget/assets/menu.svg"));
        assertThat(screen.toString()).contains("> Show me the menu", "Ada: Here's tonight's menu");

        type(keyboard, "/quit");
        assertThat(exit.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();
        Matcher resume = Pattern.compile("Resume with: parley chat --session (\\S+) --cursor (\\d+)").matcher(screen.toString());
        assertThat(resume.find()).as(screen.toString()).isTrue();

        // Resuming from cursor 0 replays the whole conversation, the user's messages included.
        PipedWriter again = new PipedWriter();
        BufferedReader in2 = new BufferedReader(new PipedReader(again));
        StringWriter screen2 = new StringWriter();
        CompletableFuture<Integer> exit2 = CompletableFuture.supplyAsync(() -> Parley.commandLine(in2, new PrintWriter(screen2, true))
                .execute("chat", "--url", server.baseUrl(), "--token", TestServer.TOKEN, "--host", TestServer.HOST,
                        "--session", resume.group(1), "--cursor", "0"));
        await().atMost(WAIT).until(() -> screen2.toString().contains("Connected to session " + resume.group(1)));
        assertThat(screen2.toString()).contains("Ada: Hi, I'm Ada", "You: What are your opening hours?",
                "Ada: We're open Tuesday to Sunday", "You: Show me the menu", "Ada: Here's tonight's menu");
        type(again, "/quit");
        assertThat(exit2.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();
    }

    @Test
    void endEndsTheSession() throws Exception {
        PipedWriter keyboard = new PipedWriter();
        BufferedReader in = new BufferedReader(new PipedReader(keyboard));
        StringWriter screen = new StringWriter();
        PrintWriter out = new PrintWriter(screen, true);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Parley.commandLine(in, out)
                .execute("chat", "--url", server.baseUrl(), "--token", TestServer.TOKEN, "--host", TestServer.HOST,
                        "--no-streaming"));
        await().atMost(WAIT).until(() -> screen.toString().contains("3) Show me the menu"));

        type(keyboard, "/end");
        assertThat(exit.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();
        assertThat(screen.toString()).contains("Session ended: USER_END");
    }

    private static void type(PipedWriter keyboard, String line) throws IOException {
        keyboard.write(line + "\n");
        keyboard.flush();
    }
}
