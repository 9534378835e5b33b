package dev.parley.app;

import java.util.concurrent.TimeoutException;

import java.util.concurrent.ExecutionException;

import java.util.concurrent.CompletableFuture;

import java.util.ArrayList;

import dev.parley.client.AgentMessage;
import dev.parley.client.ConnectionState;
import dev.parley.client.Conversation;
import dev.parley.client.ConversationListener;
import dev.parley.client.ConversationLostException;
import dev.parley.client.DeliveryStatus;
import dev.parley.client.OutgoingMessage;
import dev.parley.client.ParleyClient;
import dev.parley.protocol.Attachment;
import dev.parley.protocol.EndReason;
import dev.parley.protocol.HandoffReason;
import dev.parley.protocol.LiveAgent;
import dev.parley.protocol.ServerEvent;
import dev.parley.protocol.payload.UserMessageEcho;
import dev.parley.protocol.Suggestion;
import dev.parley.protocol.SystemLevel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code parley chat}: an interactive terminal conversation on the client SDK. Input lines come
 * from an injectable reader and everything is printed to an injectable writer, so tests can drive
 * it; the SDK's conversation thread prints events as they arrive while the calling thread reads.
 */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = "Chat with a Parley server from the terminal (type a number to pick a suggestion, /end to end the session, /quit to leave).")
public final class ChatCommand implements Callable<Integer> {
    @Mixin
    ServerOptions server;
    @Option(names = "--session", paramLabel = "ID", description = "Resume this session instead of starting one.")
    String session;
    @Option(names = "--cursor", paramLabel = "SEQ", defaultValue = "0",
            description = "With --session: replay the events after this sequence (default 0, the whole history).")
    long cursor;

    /** How long leaving waits for messages typed just before it to be delivered. */
    private static final int DELIVERY_WAIT_SECONDS = 15;
    /** How long /end and shutdown wait for the server to confirm. */
    private static final long END_WAIT_SECONDS = 5;

    private final BufferedReader in;
    private final PrintWriter out;
    private final boolean installShutdownHook;
    /** Output is a terminal: transient lines are redrawn in place with ANSI codes. */
    private final boolean terminal;

    /** For the real terminal: stdin, stdout in the console's charset, and a Ctrl-C hook. */
    public ChatCommand() {
        this(new BufferedReader(new InputStreamReader(System.in, consoleCharset())),
                new PrintWriter(new OutputStreamWriter(System.out, consoleCharset()), true), true,
                System.console() != null);
    }

    /** For tests: scripted input, captured output, no shutdown hook. */
    public ChatCommand(BufferedReader in, PrintWriter out) {
        this(in, out, false, false);
    }

    private ChatCommand(BufferedReader in, PrintWriter out, boolean installShutdownHook, boolean terminal) {
        this.terminal = terminal;
        this.in = in;
        this.out = out;
        this.installShutdownHook = installShutdownHook;
    }

    private static Charset consoleCharset() {
        return System.console() != null ? System.console().charset() : StandardCharsets.UTF_8;
    }

    @Override
    public Integer call() throws IOException {
        if (session == null && cursor != 0) {
            out.println("error: --cursor needs --session");
            out.flush();
            return 2;
        }
        ParleyClient client = ParleyClient.create(server.clientOptions().build());
        Screen screen = new Screen(out, terminal, server.url);
        Conversation conversation = session == null ? client.start(screen) : client.resume(session, cursor, screen);
        AtomicBoolean finished = new AtomicBoolean();
        Runnable shutdown = () -> {
            if (finished.compareAndSet(false, true)) {
                screen.quitting(conversation);
                conversation.close();
                client.close();
            }
        };
        Thread hook = new Thread(shutdown, "parley-chat-shutdown");
        if (installShutdownHook) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
        try {
            readLoop(conversation, screen);
        } finally {
            shutdown.run();
            if (installShutdownHook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException alreadyShuttingDown) {
                    // Ctrl-C: the hook is running or has run.
                }
            }
        }
        return screen.failed() ? 1 : 0;
    }

    private void readLoop(Conversation conversation, Screen screen) throws IOException {
        List<CompletableFuture<?>> unsettled = new ArrayList<>();
        try {
            readLines(conversation, screen, unsettled);
        } finally {
            awaitDelivery(unsettled);
        }
    }

    /**
     * Before leaving, give what was typed a bounded chance to be delivered: with piped input the
     * whole script (and /quit) can be read before the session has even connected.
     */
    private static void awaitDelivery(List<CompletableFuture<?>> unsettled) {
        try {
            CompletableFuture.allOf(unsettled.toArray(new CompletableFuture<?>[0])).get(DELIVERY_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Whatever did not settle is reported as not delivered when the conversation closes.
        }
    }

    private void readLines(Conversation conversation, Screen screen, List<CompletableFuture<?>> unsettled)
            throws IOException {
        String line;
        while (!screen.over() && (line = in.readLine()) != null) {
            String text = line.strip();
            if (screen.over()) {
                break;
            }
            if (text.isEmpty()) {
                continue;
            }
            if (text.equals("/quit") || text.equals("/exit")) {
                return;
            }
            if (text.equals("/end")) {
                conversation.end();
                screen.awaitEnd(END_WAIT_SECONDS);
                return;
            }
            if (text.equals("/help")) {
                screen.line("Type a message, a suggestion's number, /end to end the session or /quit to leave.");
                continue;
            }
            String picked = screen.suggestion(text);
            if (picked != null) {
                screen.line("> " + picked);
            }
            unsettled.add(conversation.send(picked != null ? picked : text).settled().toCompletableFuture());
        }
    }

    /**
     * Renders the conversation. Called on the SDK's conversation thread (and the read loop's
     * thread for a few lines), so every write holds the monitor.
     */
    static final class Screen implements ConversationListener {
        private final PrintWriter out;
        private final boolean terminal;
        private String lastTransient;
        private final CountDownLatch ended = new CountDownLatch(1);
        private volatile boolean over;
        private volatile boolean failed;
        private String agentName = "Agent";
        private String liveAgentName = "Agent";
        /** The suggestions last shown, numbered from 1. */
        private List<Suggestion> suggestions = List.of();
        /** Text of the streamed message printed so far on the current line, or null. */
        private String partialId;
        private String partialText = "";
        /** A transient line ("Ada is typing…") is on screen. */
        private boolean transientShown;
        private boolean announcedSession;

        /** The server's base URL: a flow may name pictures by their path on the server (/widget/assets/…). */
        private final String serverUrl;

        Screen(PrintWriter out, boolean terminal, String serverUrl) {
            this.out = out;
            this.terminal = terminal;
            this.serverUrl = serverUrl == null ? "" : serverUrl.replaceAll("/+$", "");
        }

        private String absolute(String url) {
            return url != null && url.startsWith("/") && !url.startsWith("//") ? serverUrl + url : url;
        }

        boolean over() {
            return over;
        }

        boolean failed() {
            return failed;
        }

        synchronized String suggestion(String typed) {
            if (!typed.chars().allMatch(Character::isDigit) || typed.length() > 3) {
                return null;
            }
            int n = Integer.parseInt(typed);
            return n >= 1 && n <= suggestions.size() ? suggestions.get(n - 1).messageText() : null;
        }

        synchronized void line(String text) {
            settleLine();
            out.println(text);
            out.flush();
        }

        void awaitEnd(long seconds) {
            try {
                ended.await(seconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        synchronized void quitting(Conversation c) {
            if (c.sessionId() != null && !over) {
                line("Bye. Resume with: parley chat --session " + c.sessionId() + " --cursor " + c.lastSequence());
            }
        }

        /** Ends whatever is on the current line: a streamed message in progress or a transient notice. */
        private void settleLine() {
            if (partialId != null) {
                out.println();
                partialId = null;
                partialText = "";
            }
            clearTransient();
        }

        private void clearTransient() {
            lastTransient = null;
            if (transientShown) {
                if (terminal) {
                    out.print("\r\033[2K");
                }
                transientShown = false;
            }
        }

        private void transientLine(String text) {
            if (partialId != null) {
                return; // a reply is already streaming on this line
            }
            if (!terminal) {
                // No cursor control: each distinct notice once, on its own line.
                if (!text.equals(lastTransient)) {
                    out.println(text);
                    out.flush();
                }
                lastTransient = text;
                return;
            }
            clearTransient();
            out.print(text);
            out.flush();
            transientShown = true;
        }

        /** Before the first CONNECTED the history is replaying: show the user's own past messages too. */
        @Override
        public synchronized void onEvent(Conversation c, ServerEvent event) {
            if (!announcedSession && event.payload() instanceof UserMessageEcho echo) {
                line("You: " + echo.text());
            }
        }

        @Override
        public synchronized void onStateChanged(Conversation c, ConnectionState state) {
            switch (state) {
                case CONNECTED -> {
                    if (!announcedSession) {
                        announcedSession = true;
                        line("Connected to session " + c.sessionId() + ". Type /help for commands.");
                    } else {
                        line("(reconnected)");
                    }
                }
                case RECONNECTING -> line("(connection lost, reconnecting…)");
                case CLOSED -> over = true;
                default -> {
                }
            }
        }

        @Override
        public synchronized void onAgentJoined(Conversation c, String name, String avatarUrl) {
            if (name != null && !name.isBlank()) {
                agentName = name;
            }
            line("* " + agentName + " joined the conversation");
        }

        @Override
        public synchronized void onAgentThinking(Conversation c) {
            transientLine(agentName + " is typing…");
        }

        @Override
        public synchronized void onPartialMessage(Conversation c, String messageId, String textSoFar) {
            if (!messageId.equals(partialId)) {
                settleLine();
                partialId = messageId;
                partialText = "";
                out.print(agentName + ": ");
            }
            if (textSoFar.startsWith(partialText)) {
                out.print(textSoFar.substring(partialText.length()));
            } else {
                out.print((terminal ? "\r\033[2K" : System.lineSeparator()) + agentName + ": " + textSoFar);
            }
            partialText = textSoFar;
            out.flush();
        }

        @Override
        public synchronized void onAgentMessage(Conversation c, AgentMessage m) {
            clearTransient();
            if (m.messageId() != null && m.messageId().equals(partialId) && m.text().startsWith(partialText)) {
                out.println(m.text().substring(partialText.length()));
                partialId = null;
                partialText = "";
            } else {
                if (partialId != null) {
                    out.print(terminal ? "\r\033[2K" : System.lineSeparator()); // the final text replaces the partial line
                    partialId = null;
                    partialText = "";
                }
                out.println(agentName + ": " + m.text());
            }
            details(m);
            out.flush();
        }

        private void details(AgentMessage m) {
            for (Attachment a : m.attachments()) {
                String url = absolute(a.contentUrl() != null ? a.contentUrl() : a.previewImageUrl());
                out.println("  [" + (a.title() == null ? "attachment" : a.title()) + "] " + (url == null ? "" : url));
            }
            if (!m.suggestions().isEmpty()) {
                suggestions = m.suggestions();
                for (int i = 0; i < suggestions.size(); i++) {
                    out.println("  " + (i + 1) + ") " + suggestions.get(i).messageText());
                }
            }
        }

        @Override
        public synchronized void onAgentLeft(Conversation c) {
            line("* " + agentName + " left the conversation");
        }

        @Override
        public synchronized void onHandoffTriggered(Conversation c) {
            line("* Handing you over to a person…");
        }

        @Override
        public synchronized void onHandoffAccepted(Conversation c) {
            line("* A person will be with you shortly");
        }

        @Override
        public synchronized void onQueueStatus(Conversation c, String queueName, Integer position, Integer waitSeconds) {
            StringBuilder s = new StringBuilder("Waiting for a person");
            if (queueName != null) {
                s.append(" (queue ").append(queueName).append(')');
            }
            if (position != null) {
                s.append(": position ").append(position);
            }
            if (waitSeconds != null) {
                s.append(position != null ? ", " : ": ").append("about ").append(waitSeconds).append(" s");
            }
            transientLine(s.append('…').toString());
        }

        @Override
        public synchronized void onClientHandoffRequired(Conversation c, HandoffReason reason, String queueName) {
            line("* No live agent is available here (" + reason + (queueName == null ? "" : ", queue " + queueName)
                    + "): please contact us through another channel");
        }

        @Override
        public synchronized void onHandoffFailed(Conversation c) {
            line("* The handoff to a person failed");
        }

        @Override
        public synchronized void onHandoffTimeout(Conversation c) {
            line("* Nobody could take the conversation in time");
        }

        @Override
        public synchronized void onLiveAgentJoined(Conversation c, LiveAgent agent) {
            if (agent != null && agent.name() != null && !agent.name().isBlank()) {
                liveAgentName = agent.name();
            }
            line("* " + liveAgentName + " (live agent) joined the conversation");
        }

        @Override
        public synchronized void onLiveAgentTyping(Conversation c, String agentId, boolean typing) {
            if (typing) {
                transientLine(liveAgentName + " is typing…");
            } else {
                clearTransient();
                out.flush();
            }
        }

        @Override
        public synchronized void onLiveAgentMessage(Conversation c, AgentMessage m) {
            settleLine();
            out.println(liveAgentName + ": " + m.text());
            details(m);
            out.flush();
        }

        @Override
        public synchronized void onLiveAgentLeft(Conversation c) {
            line("* " + liveAgentName + " (live agent) left the conversation");
        }

        @Override
        public synchronized void onSystemMessage(Conversation c, SystemLevel level, String message) {
            line("[system " + (level == null ? "INFO" : level.name().replace("SYSTEM_MESSAGE_LEVEL_", "")) + "] " + message);
        }

        @Override
        public synchronized void onLanguageChanged(Conversation c, String languageCode) {
            line("* Language: " + languageCode);
        }

        @Override
        public synchronized void onDeliveryStatus(Conversation c, OutgoingMessage m, DeliveryStatus status) {
            if (status == DeliveryStatus.SENT) {
                line("  ✓ " + m.text());
            } else if (status == DeliveryStatus.FAILED) {
                line("  ✗ " + m.text() + " (not delivered)");
            }
        }

        @Override
        public synchronized void onSessionEnded(Conversation c, EndReason reason) {
            line("* Session ended: " + (reason == null ? "unknown" : reason.name().replace("REASON_", "")) + " (press Enter to leave)");
            over = true;
            ended.countDown();
        }

        @Override
        public synchronized void onFailure(Conversation c, ConversationLostException error) {
            line("error: " + error.getMessage());
            failed = true;
            over = true;
            ended.countDown();
        }
    }
}
