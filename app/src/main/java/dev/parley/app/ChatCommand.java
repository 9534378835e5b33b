package dev.parley.app;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
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
    /** Output is a terminal: a prompt, and transient lines redrawn in place with ANSI codes. */
    private final boolean terminal;
    /** Columns to wrap at: {@code COLUMNS}, else 80 on a terminal, else 0 (no wrapping). */
    private final int width;
    private final PrintWriter err;

    /** For the real terminal: stdin, stdout in the console's charset, and a Ctrl-C hook. */
    public ChatCommand() {
        this(new BufferedReader(new InputStreamReader(System.in, consoleCharset())),
                new PrintWriter(new OutputStreamWriter(System.out, consoleCharset()), true), true,
                System.console() != null, System.getenv("COLUMNS"),
                new PrintWriter(new OutputStreamWriter(System.err, consoleCharset()), true));
    }

    /** For tests: scripted input, captured output, no shutdown hook. */
    public ChatCommand(BufferedReader in, PrintWriter out) {
        this(in, out, false, false, null, out);
    }

    private ChatCommand(BufferedReader in, PrintWriter out, boolean installShutdownHook, boolean terminal,
                        String columns, PrintWriter err) {
        this.terminal = terminal;
        this.in = in;
        this.out = out;
        this.err = err;
        this.installShutdownHook = installShutdownHook;
        this.width = width(columns, terminal);
    }

    static int width(String columns, boolean terminal) {
        if (columns != null && columns.strip().matches("\\d{1,4}")) {
            int n = Integer.parseInt(columns.strip());
            return n >= 20 ? n - 1 : 0; // one short: some terminals wrap a line that fills the last column
        }
        return terminal ? 79 : 0;
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
        var unreachable = Reachability.problem(server.url);
        if (unreachable.isPresent()) {
            err.println("error: " + unreachable.get());
            err.flush();
            return 1;
        }
        ParleyClient client = ParleyClient.create(server.clientOptions().build());
        Screen screen = new Screen(out, terminal, width, server.url);
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
        while (!screen.over()) {
            screen.awaitingInput();
            String line = in.readLine();
            screen.lineEntered();
            if (line == null) {
                return; // Ctrl-D
            }
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
     * thread for a few lines), so every write holds the monitor. On a terminal a prompt waits at
     * the bottom: anything printed first wipes it and then draws it again, so status lines and
     * replies never share its line. Elsewhere (a pipe, a file) there is no prompt and no ANSI code.
     */
    static final class Screen implements ConversationListener {
        private static final String PROMPT = "> ";
        /** Carriage return and erase-line: redraws the current line in place (terminals only). */
        private static final String WIPE = "\r\033[2K";

        private final PrintWriter out;
        private final boolean terminal;
        /** Columns to wrap at, 0 for none. */
        private final int width;
        private String lastTransient;
        private final CountDownLatch ended = new CountDownLatch(1);
        private volatile boolean over;
        private volatile boolean failed;
        private volatile boolean endRequested;
        private String agentName = "Agent";
        private String liveAgentName = "Agent";
        /** The suggestions last shown, numbered from 1. */
        private List<Suggestion> suggestions = List.of();
        /** Text of the streamed message printed so far on the current line, or null. */
        private String partialId;
        private String partialText = "";
        private WordWrapper partialWrapper;
        /** A transient line ("Ada is typing…") is on screen. */
        private boolean transientShown;
        private boolean announcedSession;
        /** The read loop waits for a line: show the prompt whenever the screen is quiet. */
        private boolean awaitingInput;
        private boolean promptShown;

        /** The server's base URL: a flow may name pictures by their path on the server (/widget/assets/…). */
        private final String serverUrl;

        Screen(PrintWriter out, boolean terminal, int width, String serverUrl) {
            this.out = out;
            this.terminal = terminal;
            this.width = width;
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

        /** The read loop is about to wait for the user's next line. */
        synchronized void awaitingInput() {
            awaitingInput = true;
            showPrompt();
        }

        /** The user pressed Enter: the terminal moved to a new line by itself. */
        synchronized void lineEntered() {
            awaitingInput = false;
            promptShown = false;
        }

        synchronized void line(String text) {
            settleLine();
            wrapped("", text);
            out.println();
            quiet();
        }

        void awaitEnd(long seconds) {
            endRequested = true;
            try {
                ended.await(seconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        synchronized void quitting(Conversation c) {
            awaitingInput = false;
            if (c.sessionId() != null && !over) {
                line("Bye. Resume with: parley chat --session " + c.sessionId() + " --cursor " + c.lastSequence());
            } else {
                settleLine();
                out.flush();
            }
        }

        /** Ends whatever is on the current line: the prompt, a streamed message in progress or a transient notice. */
        private void settleLine() {
            wipePrompt();
            if (partialId != null) {
                partialWrapper.finish();
                out.println();
                partialId = null;
                partialText = "";
                partialWrapper = null;
            }
            clearTransient();
        }

        private void wipePrompt() {
            if (promptShown) {
                out.print(WIPE);
                promptShown = false;
            }
        }

        private void showPrompt() {
            if (terminal && awaitingInput && !promptShown && !transientShown && partialId == null && !over) {
                out.print(PROMPT);
                promptShown = true;
            }
            out.flush();
        }

        /** After a complete line: flush, and put the prompt back. */
        private void quiet() {
            showPrompt();
            out.flush();
        }

        /** Prints {@code prefix + text} wrapped at word boundaries, continuation lines under the text. */
        private void wrapped(String prefix, String text) {
            out.print(prefix);
            WordWrapper wrapper = new WordWrapper(out, width, prefix.length(), width > 0 ? Math.max(2, prefix.length()) : 0);
            wrapper.append(text);
            wrapper.finish();
        }

        private void clearTransient() {
            lastTransient = null;
            if (transientShown) {
                if (terminal) {
                    out.print(WIPE);
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
            wipePrompt();
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
            if (!messageId.equals(partialId) || !textSoFar.startsWith(partialText)) {
                // A new message, or one whose text was rewritten: start its line afresh.
                settleLine();
                partialId = messageId;
                partialText = "";
                String prefix = agentName + ": ";
                out.print(prefix);
                partialWrapper = new WordWrapper(out, width, prefix.length(), width > 0 ? prefix.length() : 0);
            }
            partialWrapper.append(textSoFar.substring(partialText.length()));
            partialText = textSoFar;
            out.flush();
        }

        @Override
        public synchronized void onAgentMessage(Conversation c, AgentMessage m) {
            clearTransient();
            if (m.messageId() != null && m.messageId().equals(partialId) && m.text().startsWith(partialText)) {
                partialWrapper.append(m.text().substring(partialText.length()));
                partialWrapper.finish();
                out.println();
                partialId = null;
                partialText = "";
                partialWrapper = null;
            } else {
                if (partialId != null && terminal) {
                    out.print(WIPE); // the final text replaces the partial line
                    partialId = null;
                    partialText = "";
                    partialWrapper = null;
                }
                settleLine();
                wrapped(agentName + ": ", m.text());
                out.println();
            }
            details(m);
            quiet();
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
                quiet();
            }
        }

        @Override
        public synchronized void onLiveAgentMessage(Conversation c, AgentMessage m) {
            settleLine();
            wrapped(liveAgentName + ": ", m.text());
            out.println();
            details(m);
            quiet();
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

        /**
         * On a terminal the user's line is already on screen (the terminal echoed it): a delivery
         * adds nothing, only a failure is worth a line. Elsewhere the line was never shown, so it
         * appears once, when the server has stored it.
         */
        @Override
        public synchronized void onDeliveryStatus(Conversation c, OutgoingMessage m, DeliveryStatus status) {
            if (status == DeliveryStatus.SENT && !terminal) {
                line("  ✓ " + m.text());
            } else if (status == DeliveryStatus.FAILED) {
                line("  ✗ " + m.text() + " (not delivered)");
            }
        }

        @Override
        public synchronized void onSessionEnded(Conversation c, EndReason reason) {
            over = true;
            // After /end the read loop leaves by itself; otherwise it waits in readLine for the user.
            line("* Session ended: " + (reason == null ? "unknown" : reason.name().replace("REASON_", ""))
                    + (endRequested ? "" : " (press Enter to leave)"));
            ended.countDown();
        }

        @Override
        public synchronized void onFailure(Conversation c, ConversationLostException error) {
            failed = true;
            over = true;
            line("error: " + error.getMessage());
            ended.countDown();
        }
    }
}
