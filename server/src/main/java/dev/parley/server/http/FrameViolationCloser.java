package dev.parley.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.vertx.core.http.HttpConnection;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Answers a frame Netty's decoder refuses (over the frame size limit: 1009; a reserved bit set, e.g.
 * an unnegotiated compressed frame, or another RFC 6455 violation: 1002) with a close frame the
 * client actually receives (PROTOCOL.md §13.11).
 *
 * <p>Why a Netty handler: Vert.x builds the decoder with {@code closeOnProtocolViolation=false} and,
 * on the decoder's exception, closes the channel at once without a close frame; the client's
 * oversized frame is then still unread in the kernel, so the close becomes a TCP reset and the
 * client sees 1006, indistinguishable from a network drop. This handler sits between the decoder and
 * Vert.x, keeps the exception from Vert.x, sends the close frame, half-closes (FIN, so the frame is
 * delivered ahead of any reset), and closes the channel when the client closes its side or after
 * {@link #LINGER}. Meanwhile the decoder, now in its corrupt state, reads and discards whatever the
 * client still sends, so nothing of the refused frame is delivered or buffered.
 *
 * <p>Runs on the connection's event loop, like every channel handler; {@link #closing} is confined to it.
 */
public final class FrameViolationCloser extends ChannelInboundHandlerAdapter {
    /** How long a client may go on sending (its rest of the refused frame) before TCP is closed regardless. */
    static final Duration LINGER = Duration.ofSeconds(2);
    private static final String NAME = "parley-frame-violation";

    private final Runnable onViolation;
    /** Event loop only. */
    private boolean closing;

    private FrameViolationCloser(Runnable onViolation) {
        this.onViolation = onViolation;
    }

    /**
     * Puts the handler right behind the WebSocket frame codec of {@code connection}, which has just
     * been upgraded; {@code onViolation} runs on the event loop when a frame is refused, before the
     * close frame is written.
     */
    public static void install(HttpConnection connection, Runnable onViolation) {
        ChannelPipeline pipeline = NettyChannels.of(connection).pipeline();
        // Behind the decoder, to catch its exceptions, and behind the encoder, so our close frame is encoded.
        ChannelHandlerContext encoder = pipeline.context(WebSocketFrameEncoder.class);
        if (encoder == null || pipeline.context(WebSocketFrameDecoder.class) == null) {
            throw new IllegalStateException("no WebSocket codec in " + pipeline.names());
        }
        pipeline.addAfter(encoder.name(), NAME, new FrameViolationCloser(onViolation));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof CorruptedWebSocketFrameException refused)) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        if (closing) {
            return;
        }
        closing = true;
        onViolation.run();
        ctx.writeAndFlush(new CloseWebSocketFrame(refused.closeStatus())).addListener(written -> {
            if (ctx.channel() instanceof DuplexChannel duplex && duplex.isOpen()) {
                duplex.shutdownOutput();
            }
        });
        ctx.executor().schedule(() -> ctx.close(), LINGER.toMillis(), TimeUnit.MILLISECONDS);
    }
}
