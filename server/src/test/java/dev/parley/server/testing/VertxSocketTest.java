package dev.parley.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The test client must fail a text message that is not UTF-8, as the JDK client did: replay tests
 * rely on it to notice frames corrupted on the wire, and Vert.x's own text decoding would hand them
 * over with replacement characters instead.
 */
class VertxSocketTest {
    @Test
    void aTextMessageThatIsNotUtf8FailsTheSocketInsteadOfArriving() throws Exception {
        byte[] invalid = {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}; // 0xC3 must be followed by 10xxxxxx
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread serving = new Thread(() -> answerWithTextFrame(server, invalid), "raw-ws-server");
            serving.setDaemon(true);
            serving.start();
            CompletableFuture<String> outcome = new CompletableFuture<>();
            VertxSocket socket = VertxSocket.connect(URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/"),
                    new VertxSocket.Listener() {
                        @Override
                        public void onText(String text) {
                            outcome.complete("text " + text);
                        }

                        @Override
                        public void onClose(int statusCode, String reason) {
                            outcome.complete("closed " + statusCode);
                        }

                        @Override
                        public void onError(Throwable error) {
                            outcome.complete("error " + error.getMessage());
                        }
                    }, WsClient.WAIT);
            try {
                assertThat(outcome.get(WsClient.WAIT.toMillis(), TimeUnit.MILLISECONDS))
                        .isEqualTo("error invalid UTF-8 in a text message");
            } finally {
                socket.abort();
            }
        }
    }

    /** Accepts one upgrade and sends one unmasked final text frame with {@code payload}, then waits for the client to go. */
    private static void answerWithTextFrame(ServerSocket server, byte[] payload) {
        try (Socket socket = server.accept()) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            String key = null;
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                if (line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:")) {
                    key = line.substring("sec-websocket-key:".length()).trim();
                }
            }
            String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.ISO_8859_1)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(0x81);
            out.write(payload.length); // below 126: the 7-bit length form
            out.writeBytes(payload);
            socket.getOutputStream().write(out.toByteArray());
            socket.getOutputStream().flush();
            while (socket.getInputStream().read() >= 0) {
                // until the client closes or aborts
            }
        } catch (Exception e) {
            // the client went away
        }
    }
}
