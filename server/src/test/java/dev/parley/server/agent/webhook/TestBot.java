package dev.parley.server.agent.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real webhook bot on 127.0.0.1: it checks the signature as a real bot would (a bad or stale one
 * gets 401) and answers with whatever the test's {@link Answer} function says. Every request that
 * arrives (valid or not) is recorded.
 */
public final class TestBot implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the bot sends back. {@code lines} are written and flushed one by one (ndjson). */
    public record Response(int status, String contentType, List<String> lines, boolean hangs) {
        public static Response json(String body) {
            return new Response(200, "application/json", List.of(body), false);
        }

        public static Response ndjson(String... lines) {
            return new Response(200, "application/x-ndjson", List.of(lines), false);
        }

        public static Response status(int status) {
            return new Response(status, "text/plain", List.of("nope"), false);
        }

        public static Response of(String contentType, String body) {
            return new Response(200, contentType, List.of(body), false);
        }

        /** Never answers (until the bot is closed). */
        public static Response hang() {
            return new Response(200, "application/json", List.of(), true);
        }
    }

    /** A request as received. */
    public record Request(JsonNode body, String rawBody, String timestamp, String signature, int attempt, boolean signatureValid) {
    }

    @FunctionalInterface
    public interface Answer {
        Response to(Request request);
    }

    private final String secret;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile Answer answer;

    private TestBot(String secret, Answer answer) throws IOException {
        this.secret = secret;
        this.answer = answer;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/hook", this::handle);
        server.start();
    }

    public static TestBot start(String secret, Answer answer) {
        try {
            return new TestBot(secret, answer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Answers every request the same way. */
    public static Answer always(Response response) {
        return request -> response;
    }

    public void answer(Answer value) {
        this.answer = value;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String raw = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String timestamp = exchange.getRequestHeaders().getFirst(WebhookSignature.TIMESTAMP_HEADER);
            String signature = exchange.getRequestHeaders().getFirst(WebhookSignature.SIGNATURE_HEADER);
            boolean valid = WebhookSignature.verify(secret, timestamp, raw, signature, Instant.now(),
                    WebhookSignature.DEFAULT_TOLERANCE);
            String attempt = exchange.getRequestHeaders().getFirst(WebhookAgent.ATTEMPT_HEADER);
            Request request = new Request(JSON.readTree(raw), raw, timestamp, signature,
                    attempt == null ? 0 : Integer.parseInt(attempt), valid);
            requests.add(request);
            if (!valid) {
                send(exchange, Response.status(401));
                return;
            }
            send(exchange, answer.to(request));
        }
    }

    private void send(HttpExchange exchange, Response response) throws IOException {
        if (response.hangs()) {
            try {
                closing.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        exchange.sendResponseHeaders(response.status(), 0); // chunked: lines go out as written
        OutputStream out = exchange.getResponseBody();
        for (String line : response.lines()) {
            out.write(line.getBytes(StandardCharsets.UTF_8));
            if (response.contentType().equals("application/x-ndjson")) {
                out.write('\n');
            }
            out.flush();
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
