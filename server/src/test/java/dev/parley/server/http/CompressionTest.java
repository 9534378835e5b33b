package dev.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.BothStores;
import dev.parley.server.testing.ParleyTest;
import dev.parley.server.testing.RawWebSocket;
import dev.parley.server.testing.Rest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The server offers no WebSocket compression: Vert.x would inflate a whole compressed frame on the
 * event loop, with no bound, before the 128 KB limit applies, so one small frame could stall every
 * session of that loop. A client that compresses anyway is closed at once (1002, a reserved bit set
 * without a negotiated extension) and nobody else notices.
 */
@ParleyTest
@BothStores
class CompressionTest {
    static TestServer server;
    private static final ExecutorService WRITERS = Executors.newCachedThreadPool();

    @AfterAll
    static void stopWriters() {
        WRITERS.shutdownNow();
    }

    @Test
    void aClientOfferingPermessageDeflateIsUpgradedWithoutTheExtension() throws Exception {
        try (RawWebSocket ws = connect("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n")) {
            assertThat(ws.status()).isEqualTo(101);
            assertThat(ws.header("sec-websocket-extensions")).as("negotiated extension").isNull();
            ws.sendText("{\"type\":\"EVENT_TYPE_HEARTBEAT\",\"payload\":{}}");
            RawWebSocket.Frame frame = ws.next();
            while (!frame.text().contains("EVENT_TYPE_HEARTBEAT")) {
                frame = ws.next(); // the replay comes first
            }
            assertThat(frame.rsv()).as("server frames are not compressed").isZero();
        }
    }

    @Test
    void aCompressedFrameBombIsClosedAtOnceWith1002AndAnotherSessionsHeartbeatIsStillAnswered() throws Exception {
        byte[] bomb = deflatedZeros(100 * 1024 * 1024);
        assertThat(bomb.length).as("compressed size").isLessThan(128 * 1024);
        try (WsClient probe = server.newSession(false);
             RawWebSocket ws = connect("Sec-WebSocket-Extensions: permessage-deflate\r\n")) {
            probe.replay();
            assertThat(ws.status()).isEqualTo(101);
            long before = heartbeatNanos(probe);

            long sent = System.nanoTime();
            WRITERS.execute(() -> OversizedFrameTest.quietly(
                    () -> ws.sendFrame(true, RawWebSocket.RSV1, RawWebSocket.OP_TEXT, bomb)));
            RawWebSocket.Ending ending = ws.awaitClose();
            long closedAfter = System.nanoTime() - sent;
            assertThat(ending.close()).as("close frame (connection ended %s)", ending.after()).isNotNull();
            assertThat(ending.close().closeCode()).isEqualTo(1002);

            long after = heartbeatNanos(probe);
            System.out.printf("compressed bomb of %d bytes: close frame after %.1f ms; probe heartbeat %.1f ms before,"
                    + " %.1f ms after%n", bomb.length, closedAfter / 1e6, before / 1e6, after / 1e6);
        }
    }

    /** Round trip of one heartbeat; answered within WsClient.WAIT (a generous bound), or the test fails. */
    private static long heartbeatNanos(WsClient probe) {
        long sent = System.nanoTime();
        probe.sendType("EVENT_TYPE_HEARTBEAT");
        probe.next("EVENT_TYPE_HEARTBEAT");
        return System.nanoTime() - sent;
    }

    private static RawWebSocket connect(String extraHeaders) {
        Rest rest = server.rest();
        String token = rest.accessToken();
        return RawWebSocket.connect(server.port(), rest.createSession(token, false), token, extraHeaders);
    }

    /** Raw DEFLATE of {@code n} zero bytes, as permessage-deflate frames it (no trailing 00 00 ff ff). */
    private static byte[] deflatedZeros(int n) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        byte[] zeros = new byte[1024 * 1024];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        for (int i = 0; i < n / zeros.length; i++) {
            deflater.setInput(zeros);
            while (!deflater.needsInput()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
        }
        int written;
        do {
            written = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
            out.write(buffer, 0, written);
        } while (written == buffer.length);
        deflater.end();
        byte[] all = out.toByteArray();
        return Arrays.copyOf(all, all.length - 4);
    }
}
