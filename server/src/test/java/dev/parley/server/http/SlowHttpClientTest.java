package dev.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.config.ParleyConfig;
import dev.parley.server.testing.ParleyTest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Slow-loris: plain HTTP connections that keep the server waiting are closed (request timeout,
 * keep-alive idle timeout); a WebSocket is not, however long it stays quiet within the session's
 * idle timeout. Short timeouts here; the defaults are 10 s and 60 s.
 */
@ParleyTest(config = "shortHttpTimeouts")
class SlowHttpClientTest {
    static TestServer server;
    private static final ScheduledExecutorService TRICKLER = Executors.newSingleThreadScheduledExecutor();

    static ParleyConfig shortHttpTimeouts(ParleyConfig c) {
        return c.withHttpTimeouts(new ParleyConfig.HttpTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2)))
                .withTimeouts(Duration.ofMinutes(5), Duration.ofMinutes(5));
    }

    @AfterAll
    static void stopTrickler() {
        TRICKLER.shutdownNow();
    }

    @Test
    void aClientTricklingItsRequestHeadersIsClosedByTheRequestTimeout() throws IOException {
        try (Socket socket = open()) {
            byte[] head = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
            AtomicInteger sent = new AtomicInteger();
            // One byte every 50 ms, for ever: each byte would reset a plain idle timeout.
            TRICKLER.scheduleAtFixedRate(() -> {
                int i = sent.getAndIncrement();
                try {
                    socket.getOutputStream().write(i < head.length ? head[i] : 'a');
                } catch (IOException e) {
                    throw new UncheckedIOException(e); // closed by the server: stops this task
                }
            }, 0, 50, TimeUnit.MILLISECONDS);

            assertThat(closedByServer(socket.getInputStream())).as("closed while trickling").isTrue();
            assertThat(sent.get()).as("bytes trickled, each within a plain idle timeout of the last").isGreaterThan(5);
        }
    }

    @Test
    void aKeptAliveConnectionLeftIdleIsClosedAfterItsResponse() throws IOException {
        try (Socket socket = open()) {
            String status = answeredHealthCheck(socket);
            assertThat(status).isEqualTo("HTTP/1.1 200 OK");
            assertThat(closedByServer(socket.getInputStream())).as("closed while idle").isTrue();
        }
    }

    @Test
    void aWebSocketQuietForLongerThanTheHttpTimeoutsStaysOpen() throws IOException {
        try (WsClient ws = server.newSession(false); Socket clock = open()) {
            ws.replay();
            // The keep-alive connection opened after the WebSocket is closed once both HTTP timeouts have
            // passed for the WebSocket too: our clock, instead of a sleep.
            answeredHealthCheck(clock);
            assertThat(closedByServer(clock.getInputStream())).isTrue();

            ws.sendType("EVENT_TYPE_HEARTBEAT");
            assertThat(ws.next("EVENT_TYPE_HEARTBEAT").path("sequence").isNull()).isTrue();
            assertThat(ws.isClosed()).isFalse();
        }
    }

    private static Socket open() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout((int) WsClient.WAIT.toMillis());
        return socket;
    }

    /** Sends one keep-alive GET /healthz and reads its whole response; returns the status line. */
    private static String answeredHealthCheck(Socket socket) throws IOException {
        socket.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            assertThat(c).as("response head so far: %s", head).isNotNegative();
            head.append((char) c);
        }
        int length = Integer.parseInt(head.toString().toLowerCase().split("content-length: ")[1].split("\r\n")[0].trim());
        assertThat(in.readNBytes(length)).hasSize(length);
        return head.substring(0, head.indexOf("\r\n"));
    }

    /** True when the server closes (or resets) the connection within the socket's read timeout. */
    private static boolean closedByServer(InputStream in) throws IOException {
        try {
            while (in.read() >= 0) {
                // discard whatever the server still sends
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset
        }
    }
}
