package dev.parley.server.agent.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.parley.protocol.codec.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on 127.0.0.1 that speaks the OpenAI streaming wire format: each request to
 * {@code POST /v1/chat/completions} is recorded and answered with the next scripted response —
 * a recorded SSE transcript from {@code src/test/resources/llm/*.sse} (written event by event with a
 * flush after each, chunked), an error status, or a stall (headers, then nothing until closed).
 */
public final class FakeLlmServer implements AutoCloseable {

    /** What the server answers to one request. */
    public sealed interface Response permits Sse, Status, Stall {
    }

    /** {@code 200 text/event-stream} with the transcript's lines; the body ends where the file ends. */
    public record Sse(String resource) implements Response {
    }

    public record Status(int status, String body) implements Response {
    }

    /**
     * {@code 200 text/event-stream} headers, the transcript {@code resource} if not null, then
     * silence until the server closes.
     */
    public record Stall(String resource) implements Response {
        public Stall() {
            this(null);
        }
    }

    /** One request as received. Header names are lower case. */
    public record Recorded(String method, String path, Map<String, List<String>> headers, String body) {
        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase());
            return values == null ? null : values.get(0);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final ConcurrentLinkedQueue<Response> script = new ConcurrentLinkedQueue<>();
    private final List<Recorded> requests = new ArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    private FakeLlmServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    public static FakeLlmServer start() {
        try {
            return new FakeLlmServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    public FakeLlmServer then(Response response) {
        script.add(Objects.requireNonNull(response));
        return this;
    }

    public FakeLlmServer thenSse(String name) {
        return then(new Sse("llm/" + name + ".sse"));
    }

    public FakeLlmServer thenStatus(int status, String body) {
        return then(new Status(status, body));
    }

    public synchronized List<Recorded> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, List<String>> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), List.copyOf(values)));
            synchronized (this) {
                requests.add(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, body));
            }
            Response response = script.poll();
            if (response == null) {
                response = new Status(500, "{\"error\":{\"message\":\"no scripted response\"}}");
            }
            if (response instanceof Status s) {
                byte[] bytes = s.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(s.status(), bytes.length == 0 ? -1 : bytes.length);
                if (bytes.length > 0) {
                    exchange.getResponseBody().write(bytes);
                }
            } else if (response instanceof Sse sse) {
                stream(exchange, sse.resource());
            } else {
                Stall stall = (Stall) response;
                if (stall.resource() == null) {
                    sseHeaders(exchange);
                    exchange.getResponseBody().flush();
                } else {
                    stream(exchange, stall.resource());
                }
                closing.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away (e.g. it cancelled the request): nothing to answer
        }
    }

    private static void sseHeaders(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0); // chunked
    }

    private static void stream(HttpExchange exchange, String resource) throws IOException {
        String transcript = resource(resource);
        sseHeaders(exchange);
        OutputStream out = exchange.getResponseBody();
        for (String line : transcript.split("\n", -1)) {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            if (line.isEmpty()) {
                out.flush(); // one event per chunk, as a real server sends them
            }
        }
        out.flush();
    }

    /** A test resource as text. */
    public static String resource(String name) {
        try (InputStream in = FakeLlmServer.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + name);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The concatenated {@code content} deltas of a transcript: what the user should see. */
    public static String transcriptText(String name) {
        StringBuilder text = new StringBuilder();
        for (String line : resource("llm/" + name + ".sse").split("\n")) {
            if (line.startsWith("data: {")) {
                try {
                    JsonNode content = Json.MAPPER.readTree(line.substring(6)).path("choices").path(0)
                            .path("delta").path("content");
                    if (content.isTextual()) {
                        text.append(content.asText());
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return text.toString();
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
