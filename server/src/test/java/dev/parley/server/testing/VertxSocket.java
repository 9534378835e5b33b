package dev.parley.server.testing;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.internal.http.WebSocketInternal;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A test's blocking view of Vert.x's WebSocket client, which replaced the JDK's: the JDK 17 client
 * misreads some large first messages that arrive together with the 101 answer (see
 * JdkWebSocketClientCorruptionTest in the app module), which made replay tests flaky. Every write
 * and the close run on the socket's own event loop; the calling thread only waits for them.
 * Incoming text is decoded strictly, so a corrupted frame fails the socket as the JDK client did
 * instead of arriving with replacement characters.
 */
public final class VertxSocket {
    /** Far above any frame Parley sends: a test client must not refuse what the server wrote. */
    private static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;
    private static final Vertx VERTX = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    private static final WebSocketClient CLIENT = VERTX.createWebSocketClient(new WebSocketClientOptions()
            .setMaxFrameSize(MAX_FRAME_BYTES).setMaxMessageSize(MAX_FRAME_BYTES));

    /** What the socket reports; called on its event loop, one call at a time. */
    public interface Listener {
        void onText(String text);

        /** The server's close code (1005 if its close frame had none) and reason. */
        void onClose(int statusCode, String reason);

        /** The connection failed or ended without a close frame. */
        void onError(Throwable error);
    }

    private final Context loop;
    private final WebSocket socket;

    private VertxSocket(Context loop, WebSocket socket) {
        this.loop = loop;
        this.socket = socket;
    }

    /**
     * Opens a socket to {@code uri} (ws://). A refused upgrade fails with Vert.x's
     * {@link UpgradeRejectedException}, which carries the HTTP status and headers.
     */
    public static VertxSocket connect(URI uri, Listener listener, Duration wait) throws ExecutionException,
            InterruptedException, TimeoutException {
        Context loop = VERTX.getOrCreateContext(); // a fresh context: this thread is not a Vert.x thread
        CompletableFuture<VertxSocket> opened = new CompletableFuture<>();
        loop.runOnContext(v -> CLIENT.connect(new WebSocketConnectOptions().setAbsoluteURI(uri.toString())
                        .setTimeout(wait.toMillis()))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        opened.completeExceptionally(ar.cause());
                        return;
                    }
                    WebSocket ws = ar.result();
                    attach(ws, listener);
                    opened.complete(new VertxSocket(loop, ws));
                }));
        return opened.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void attach(WebSocket ws, Listener listener) {
        Buffer[] partial = {null}; // a text message split into continuation frames, until its final frame
        boolean[] failed = {false};
        ws.frameHandler(frame -> {
            if (failed[0] || !(frame.isText() || (frame.isContinuation() && partial[0] != null))) {
                return; // binary messages are not used by the server; control frames are handled by Vert.x
            }
            partial[0] = partial[0] == null ? frame.binaryData().copy() : partial[0].appendBuffer(frame.binaryData());
            if (frame.isFinal()) {
                Buffer message = partial[0];
                partial[0] = null;
                try {
                    listener.onText(StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(message.getBytes())).toString());
                } catch (CharacterCodingException e) {
                    failed[0] = true;
                    listener.onError(new IllegalStateException("invalid UTF-8 in a text message", e));
                    ws.close((short) 1007, "invalid UTF-8");
                }
            }
        });
        ws.exceptionHandler(listener::onError);
        ws.closeHandler(v -> {
            Short code = ws.closeStatusCode();
            if (code == null) {
                listener.onError(new IllegalStateException("connection closed without a close frame"));
            } else {
                listener.onClose(code, ws.closeReason() == null ? "" : ws.closeReason());
            }
        });
    }

    /** Sends one text message; returns once it is written. */
    public void sendText(String text) {
        await(() -> socket.writeTextMessage(text));
    }

    /** Sends one binary message; returns once it is written. */
    public void sendBinary(byte[] bytes) {
        await(() -> socket.writeBinaryMessage(Buffer.buffer(bytes)));
    }

    /** Starts the close handshake and waits up to {@code wait} for it; drops the connection if it does not finish. */
    public void close(int code, String reason, Duration wait) {
        if (socket.isClosed()) {
            return;
        }
        try {
            await(() -> socket.close((short) code, reason), wait);
        } catch (RuntimeException e) {
            abort();
        }
    }

    /** Drops the TCP connection without a close handshake, like a network failure. */
    public void abort() {
        loop.runOnContext(v -> ((WebSocketInternal) socket).channelHandlerContext().channel().close());
    }

    public boolean isClosed() {
        return socket.isClosed();
    }

    private void await(Supplier<Future<Void>> write) {
        await(write, Duration.ofSeconds(10));
    }

    private void await(Supplier<Future<Void>> write, Duration wait) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.runOnContext(v -> write.get().onComplete(ar -> {
            if (ar.succeeded()) {
                done.complete(null);
            } else {
                done.completeExceptionally(ar.cause());
            }
        }));
        try {
            done.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("write failed", e);
        }
    }
}
