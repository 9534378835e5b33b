package dev.parley.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.codec.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** The two REST calls of PROTOCOL.md §2, over a real HTTP client. */
public final class Rest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    public Rest(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public HttpResponse<String> post(String path, Map<String, String> headers, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(10))
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return send(request.build());
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(10)).GET().build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> requestAccessToken(String token, String host) {
        return post("/api/v1/access-token", Map.of("X-Token", token, "X-Host", host, "Content-Type", "application/json"), "{}");
    }

    public String accessToken() {
        return accessToken(TestServer.TOKEN, TestServer.HOST);
    }

    public String accessToken(String connectorToken, String host) {
        HttpResponse<String> response = requestAccessToken(connectorToken, host);
        if (response.statusCode() != 200) {
            throw new AssertionError("access token refused: " + response.statusCode() + " " + response.body());
        }
        return json(response).get("access_token").asText();
    }

    public String createSession(String accessToken, boolean streaming) {
        HttpResponse<String> response = post("/api/v1/sessions",
                Map.of("Authorization", "Bearer " + accessToken, "Content-Type", "application/json"),
                "{\"streaming_enabled\":" + streaming + "}");
        if (response.statusCode() != 200) {
            throw new AssertionError("session refused: " + response.statusCode() + " " + response.body());
        }
        return json(response).get("session_id").asText();
    }

    public static JsonNode json(HttpResponse<String> response) {
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }
}
