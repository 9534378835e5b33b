package dev.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A stopping node's gate on a real socket. PolyAI's official SDKs start a brand-new session when an
 * upgrade is refused with any HTTP status (their ConnectionService counts a close before the open
 * as an invalid session), so a resumable session's upgrade is accepted and closed with 1012 instead
 * (issue 12 item 6), while plain REST requests keep their 503.
 */
class StopGateTest {
    private Vertx vertx;
    private HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        StopGate gate = new StopGate(request -> request.response().setStatusCode(200).end("open"));
        gate.close();
        server = vertx.createHttpServer().requestHandler(gate).listen(0)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private String base(String scheme) {
        return scheme + "://127.0.0.1:" + server.actualPort();
    }

    @Test
    void aWebSocketUpgradeDuringAStopOpensThenClosesWithServiceRestartSoTheClientKeepsItsSession() throws Exception {
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket socket = http.newWebSocketBuilder()
                .buildAsync(URI.create(base("ws") + "/ws?session_id=s&access_token=t"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        closed.complete(statusCode);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket webSocket, Throwable error) {
                        closed.completeExceptionally(error);
                    }
                })
                .get(10, TimeUnit.SECONDS); // the upgrade succeeded: no HTTP refusal

        assertThat(socket).isNotNull();
        assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo(1012);
    }

    @Test
    void aRestRequestDuringAStopIsStillRefusedWith503AndRetryAfter() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base("http") + "/v1/sessions"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
    }
}
