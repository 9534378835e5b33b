package dev.parley.server.http.desk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.codec.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The desk's REST calls over a real HTTP client. */
final class DeskHttp {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    DeskHttp(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    HttpResponse<String> login(String name, String password) {
        return call("POST", "/desk/api/login", null,
                Json.MAPPER.createObjectNode().put("name", name).put("password", password).toString());
    }

    /** Logs in and returns the desk token, failing the test otherwise. */
    String token(String name, String password) {
        HttpResponse<String> response = login(name, password);
        if (response.statusCode() != 200) {
            throw new AssertionError("login refused: " + response.statusCode() + " " + response.body());
        }
        return json(response).get("token").asText();
    }

    HttpResponse<String> call(String method, String path, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }
}
