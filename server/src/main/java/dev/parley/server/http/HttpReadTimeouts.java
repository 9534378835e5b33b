package dev.parley.server.http;

import dev.parley.server.config.ParleyConfig.HttpTimeouts;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes plain HTTP connections that keep the server waiting (slow-loris): a client has
 * {@link HttpTimeouts#request()} to send its first request from the connection's opening, and the
 * same time for a request's body once its headers are in; after a response, a kept-alive connection
 * may wait {@link HttpTimeouts#keepAliveIdle()} for its next request. While the server itself works
 * on a request no timer runs. A connection upgraded to a WebSocket leaves this handler behind: it
 * has the session's own idle timeout (1001).
 *
 * <p>Why not Vert.x's {@code setIdleTimeout}: it resets on every byte (a trickle of one header byte
 * a second keeps it open forever) and it would cut idle WebSockets too.
 *
 * <p>Sits behind Netty's HTTP codec, so it sees whole request heads, request ends and response ends.
 * All its state is confined to the connection's event loop.
 */
public final class HttpReadTimeouts extends ChannelDuplexHandler {
    private static final String NAME = "parley-http-read-timeouts";

    private final HttpTimeouts timeouts;
    /** Requests whose head arrived and whose response has not ended (HTTP/1.1 pipelining allows several). */
    private int unanswered;
    /** Between a request's head and its end: the client still owes the body. */
    private boolean readingBody;
    private ScheduledFuture<?> timer;

    private HttpReadTimeouts(HttpTimeouts timeouts) {
        this.timeouts = timeouts;
    }

    /** For {@code HttpServer.connectionHandler}: installs the timeouts on each new connection, before it reads. */
    public static Handler<HttpConnection> forEachConnection(HttpTimeouts timeouts) {
        return connection -> {
            ChannelPipeline pipeline = NettyChannels.of(connection).pipeline();
            ChannelHandlerContext encoder = pipeline.context(HttpResponseEncoder.class);
            if (encoder != null) { // absent for HTTP/2, which Parley does not enable
                pipeline.addAfter(encoder.name(), NAME, new HttpReadTimeouts(timeouts));
            }
        };
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        arm(ctx, timeouts.request());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            unanswered++;
            readingBody = true;
            arm(ctx, timeouts.request());
        }
        if (msg instanceof LastHttpContent) {
            readingBody = false;
            // The server's turn; a quick route may even have answered already, before this end was read.
            awaitNextRequestOrResponse(ctx);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response && response.status().equals(HttpResponseStatus.SWITCHING_PROTOCOLS)) {
            ctx.write(msg, promise);
            cancel();
            ctx.pipeline().remove(this); // a WebSocket now: the session's idle timeout applies
            return;
        }
        if (msg instanceof LastHttpContent) {
            unanswered = Math.max(0, unanswered - 1);
            awaitNextRequestOrResponse(ctx);
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    /** Idle timer when every request is read and answered; no timer while the server still works on one. */
    private void awaitNextRequestOrResponse(ChannelHandlerContext ctx) {
        if (readingBody) {
            return;
        }
        if (unanswered == 0) {
            arm(ctx, timeouts.keepAliveIdle());
        } else {
            cancel();
        }
    }

    private void arm(ChannelHandlerContext ctx, Duration after) {
        cancel();
        timer = ctx.executor().schedule(() -> ctx.close(), after.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
