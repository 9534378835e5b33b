package dev.parley.server.agent.webhook;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads a response body as text, refusing to hold more than {@code maxBytes}: a bot (or something
 * pretending to be one) cannot make the server buffer an unbounded reply. Over the limit, the
 * subscription is cancelled and the body completes exceptionally with {@link TooLarge}.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<String> {
    private final int maxBytes;
    private final Charset charset;
    private final CompletableFuture<String> result = new CompletableFuture<>();
    /** Touched only by the HTTP client's delivery, which is serial. */
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    BoundedBody(int maxBytes, Charset charset) {
        this.maxBytes = maxBytes;
        this.charset = charset;
    }

    /** The reply was larger than allowed. */
    static final class TooLarge extends RuntimeException {
        TooLarge(int maxBytes) {
            super("reply larger than " + maxBytes + " bytes", null, false, false);
        }
    }

    @Override
    public CompletionStage<String> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer buffer : buffers) {
            if (bytes.size() + buffer.remaining() > maxBytes) {
                subscription.cancel();
                result.completeExceptionally(new TooLarge(maxBytes));
                return;
            }
            byte[] chunk = new byte[buffer.remaining()];
            buffer.get(chunk);
            bytes.write(chunk, 0, chunk.length);
        }
    }

    @Override
    public void onError(Throwable throwable) {
        result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
        result.complete(bytes.toString(charset));
    }
}
