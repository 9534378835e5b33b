package dev.parley.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.client.ClientOptions;
import dev.parley.protocol.codec.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** The two REST calls of PROTOCOL.md §2, asynchronous. Stateless; safe from any thread. */
final class RestCalls {
    /** Read per call, so a closed client's HTTP client is not kept reachable. */
    private final Supplier<HttpClient> http;
    private final ClientOptions options;

    RestCalls(Supplier<HttpClient> http, ClientOptions options) {
        this.http = http;
        this.options = options;
    }

    /** §2.1: connector token → access token. */
    CompletableFuture<AccessToken> accessToken() {
        HttpRequest request = HttpRequest.newBuilder(resolve("/api/v1/access-token"))
                .timeout(options.connectTimeout())
                .header("X-Token", options.connectorToken() == null ? "" : options.connectorToken())
                .header("X-Host", options.host())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build();
        return send(request).thenApply(response -> {
            JsonNode body = okBody("access token", response);
            long expiresIn = body.path("expires_in").asLong(86_400);
            return new AccessToken(body.path("access_token").asText(),
                    options.clock().instant().plusSeconds(expiresIn));
        });
    }

    /** §2.2: access token → new session id. */
    CompletableFuture<String> createSession(AccessToken token) {
        String body = Json.MAPPER.createObjectNode()
                .put("platform", options.platform())
                .put("streaming_enabled", options.streaming())
                .toString();
        HttpRequest request = HttpRequest.newBuilder(resolve("/api/v1/sessions"))
                .timeout(options.connectTimeout())
                .header("Authorization", "Bearer " + token.value())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return send(request)
                .thenApply(response -> okBody("session", response).path("session_id").asText());
    }

    private CompletableFuture<HttpResponse<String>> send(HttpRequest request) {
        HttpClient client = http.get();
        if (client == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("client closed"));
        }
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    private URI resolve(String path) {
        String base = options.baseUrl().toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }

    private static JsonNode okBody(String what, HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new HttpRefusal(what, response.statusCode(), HttpRefusal.retryAfter(response.headers()), response.body());
        }
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(what + " answer is not JSON", e);
        }
    }
}
