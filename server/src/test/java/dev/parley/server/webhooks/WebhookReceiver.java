package dev.parley.server.webhooks;

import dev.parley.server.agent.webhook.WebhookSignature;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * A real HTTP receiver of webhooks for tests: records every request, checks its signature with the
 * subscription's secret, and answers each numbered request (1, 2, ...) as the script says: a status,
 * or no answer at all (the sender's attempt times out).
 */
public final class WebhookReceiver implements AutoCloseable {
    /** An answer: a status code, or {@link #HANG} to never answer. */
    static final int HANG = -1;

    public record Received(String deliveryId, String event, int attempt, String body, boolean signatureValid, int answer) {
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile String secret;
    private volatile IntFunction<Integer> script = n -> 200;

    public WebhookReceiver(String secret) throws Exception {
        this.secret = secret;
        server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public String url() {
        return "http://127.0.0.1:" + server.actualPort() + "/hooks";
    }

    public void secret(String secret) {
        this.secret = secret;
    }

    /** How to answer request number n (1-based, over all requests). */
    void answer(IntFunction<Integer> script) {
        this.script = script;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** The requests answered with a 2xx. */
    public List<Received> accepted() {
        return received.stream().filter(r -> r.answer() >= 200 && r.answer() < 300).toList();
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(buffer -> {
            String body = buffer.toString();
            boolean valid = WebhookSignature.verify(secret, request.getHeader(WebhookSignature.TIMESTAMP_HEADER), body,
                    request.getHeader(WebhookSignature.SIGNATURE_HEADER), Instant.now(), Duration.ofMinutes(5));
            int answer;
            synchronized (this) { // numbering and recording in one step, so request n gets answer n
                answer = valid ? script.apply(received.size() + 1) : 401;
                received.add(new Received(request.getHeader(WebhookDispatcher.ID_HEADER),
                        request.getHeader(WebhookDispatcher.EVENT_HEADER),
                        Integer.parseInt(request.getHeader(WebhookDispatcher.ATTEMPT_HEADER)), body, valid, answer));
            }
            if (answer != HANG) {
                request.response().setStatusCode(answer).end();
            }
        });
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
