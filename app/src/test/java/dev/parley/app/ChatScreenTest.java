package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.DeliveryStatus;
import dev.parley.client.OutgoingMessage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** The chat screen on a terminal: a prompt that status lines never share, and the user's line shown once (by the terminal). */
class ChatScreenTest {
    private static final String WIPE = "\r\033[2K";

    private final StringWriter text = new StringWriter();
    private final ChatCommand.Screen terminal = new ChatCommand.Screen(new PrintWriter(text), true, 0, "http://x");

    @Test
    void aStatusLineWipesThePromptAndDrawsItAgainBelow() {
        terminal.awaitingInput();
        terminal.line("* Ada joined the conversation");

        assertThat(screen()).isEqualTo("> " + WIPE + "* Ada joined the conversation\n> ");
    }

    @Test
    void onATerminalADeliveredLineIsNotPrintedAgainButAFailedOneIs() {
        terminal.lineEntered();
        terminal.onDeliveryStatus(null, message("hello"), DeliveryStatus.SENT);
        assertThat(screen()).isEmpty();

        terminal.onDeliveryStatus(null, message("hello"), DeliveryStatus.FAILED);
        assertThat(screen()).isEqualTo("  ✗ hello (not delivered)\n");
    }

    @Test
    void withoutATerminalThereIsNoPromptAndNoEscapeCode() {
        StringWriter piped = new StringWriter();
        ChatCommand.Screen screen = new ChatCommand.Screen(new PrintWriter(piped), false, 0, "http://x");
        screen.awaitingInput();
        screen.onAgentThinking(null);
        screen.line("* Ada joined the conversation");
        screen.onDeliveryStatus(null, message("hello"), DeliveryStatus.SENT);

        assertThat(piped.toString().replace(System.lineSeparator(), "\n"))
                .isEqualTo("Agent is typing…\n* Ada joined the conversation\n  ✓ hello\n");
    }

    @Test
    void theWidthComesFromColumnsElseEightyOnATerminalElseNone() {
        assertThat(ChatCommand.width("100", false)).isEqualTo(99);
        assertThat(ChatCommand.width(null, true)).isEqualTo(79);
        assertThat(ChatCommand.width(null, false)).isZero();
        assertThat(ChatCommand.width("wide", false)).isZero();
    }

    private String screen() {
        return text.toString().replace(System.lineSeparator(), "\n");
    }

    private static OutgoingMessage message(String text) {
        return new OutgoingMessage() {
            @Override public String clientEventId() { return "c-1"; }
            @Override public String text() { return text; }
            @Override public DeliveryStatus status() { return DeliveryStatus.SENT; }
            @Override public String messageId() { return null; }
            @Override public CompletionStage<DeliveryStatus> settled() { return CompletableFuture.completedFuture(status()); }
        };
    }
}
