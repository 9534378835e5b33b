package dev.parley.server.http.desk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.RawWebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The desk socket refuses a frame over 128 KB with a close frame 1009 the desk can read, like {@code /ws}. */
class DeskOversizedFrameTest {
    @TempDir
    Path dir;
    private DeskTestNode node;
    private final ExecutorService writer = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        writer.shutdownNow();
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aDeskFrameOver128KbIsAnsweredWithACloseFrame1009BeforeTcpCloses() throws Exception {
        node = new DeskTestNode(dir);
        String token = node.desk().token("Sarah", DeskTestNode.PASSWORD);
        int port = node.server().port();
        try (RawWebSocket ws = RawWebSocket.connectTo(port, "/desk/ws?token=" + token, "")) {
            assertThat(ws.status()).isEqualTo(101);
            byte[] payload = ("{\"type\":\"desk.message\",\"text\":\"" + "x".repeat(200 * 1024) + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            writer.execute(() -> {
                try {
                    ws.sendFrame(true, 0, RawWebSocket.OP_TEXT, payload);
                } catch (java.io.IOException e) {
                    // the server may close while we still write: the close frame is what we check
                }
            });

            RawWebSocket.Ending ending = ws.awaitClose();
            assertThat(ending.close()).as("close frame (connection ended %s)", ending.after()).isNotNull();
            assertThat(ending.close().closeCode()).isEqualTo(1009);
        }
        // The desk can log straight back in and connect.
        try (RawWebSocket again = RawWebSocket.connectTo(port, "/desk/ws?token=" + token, "")) {
            assertThat(again.status()).isEqualTo(101);
        }
    }
}
