package dev.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.ParleyTest;
import dev.parley.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo page, the widget script and cross-origin access to the REST endpoints. */
@ParleyTest
class WidgetAssetsAndCorsTest {
    private static final String ORIGIN = "https://shop.example.org";

    static TestServer server;

    @Test
    void rootServesTheDemoPageWithTheOneScriptTag() {
        HttpResponse<String> page = server.rest().get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("<script src=\"/widget.js\"").contains("data-connector-token=\"parley-demo-token\"");
    }

    @Test
    void theDemoPageChatsThroughTheDemoConnectorTheServerRuns(@org.junit.jupiter.api.io.TempDir java.nio.file.Path own) {
        try (TestServer other = TestServer.start(own, c -> c.withDemoConnector("my-own-token", "demo.example.com"))) {
            String page = other.rest().get("/").body();

            assertThat(page).contains("data-connector-token=\"my-own-token\" data-host=\"demo.example.com\"")
                    .doesNotContain("parley-demo-token");
            assertThat(other.rest().requestAccessToken("my-own-token", "demo.example.com").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void withoutADemoConnectorTheDemoPageSaysSoAndOffersNoChat(@org.junit.jupiter.api.io.TempDir java.nio.file.Path own) {
        try (TestServer other = TestServer.start(own, c -> c.withDemoConnector(null, null))) {
            String page = other.rest().get("/").body();

            assertThat(page).contains("No demo connector is configured on this server")
                    .doesNotContain("<script src=\"/widget.js\"").doesNotContain("parley-demo-token");
        }
    }

    @Test
    void theDemoPageHasAContentSecurityPolicyAndMayNotBeFramed() {
        HttpResponse<String> page = server.rest().get("/");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'",
                        "base-uri 'none'", "form-action 'none'")
                .doesNotContain("'unsafe-eval'").doesNotContainPattern("script-src[^;]*'unsafe-inline'"));
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(page.body()).as("no inline script the policy would block").doesNotContainPattern("<script(?![^>]*\\ssrc=)");
    }

    @Test
    void theWidgetScriptStaysEmbeddableOnAnySite() {
        HttpResponse<String> js = server.rest().get("/widget.js");
        assertThat(js.headers().firstValue("Content-Type")).hasValue("application/javascript; charset=utf-8");
        assertThat(js.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(js.headers().firstValue("X-Frame-Options")).isEmpty();
        assertThat(js.headers().firstValue("Content-Security-Policy")).isEmpty();
        assertThat(js.headers().firstValue("Cross-Origin-Resource-Policy")).isEmpty();
    }

    @Test
    void widgetScriptIsJavaScriptWithAShortCacheLifetime() {
        HttpResponse<String> js = server.rest().get("/widget.js");
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type")).hasValue("application/javascript; charset=utf-8");
        assertThat(js.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("max-age="));
        assertThat(js.body()).contains("EVENT_TYPE_REQUEST_POLY_AGENT_JOIN").doesNotContain("localStorage");
    }

    @Test
    void theHeadlessClientModuleIsServedAsIsAndImportableFromAnyOrigin() throws Exception {
        HttpResponse<String> js = server.rest().get("/parley-client.js");
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(js.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("max-age="));
        assertThat(js.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        // Module scripts are fetched in CORS mode: without this header no other site could import it.
        assertThat(js.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(js.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        java.nio.file.Path source = java.nio.file.Path.of("..", "widget", "src", "main", "js", "parley-client", "parley-client.js");
        assertThat(js.body()).isEqualTo(java.nio.file.Files.readString(source)).contains("export class ParleyClient");
    }

    @Test
    void preflightForTheRestEndpointsIsAnswered() throws Exception {
        for (String path : new String[] {"/api/v1/access-token", "/api/v1/sessions"}) {
            HttpRequest preflight = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                    .timeout(Duration.ofSeconds(10))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", ORIGIN)
                    .header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "x-token, x-host, content-type")
                    .build();
            HttpResponse<String> response = HttpClient.newHttpClient().send(preflight, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(204);
            assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ORIGIN);
            assertThat(response.headers().firstValue("Access-Control-Allow-Methods")).hasValue("POST, OPTIONS");
            assertThat(response.headers().firstValue("Access-Control-Allow-Headers"))
                    .hasValue("X-Token, X-Host, Content-Type, Authorization");
            assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        }
    }

    @Test
    void crossOriginPostCarriesTheAllowOriginAndExposesRetryAfter() {
        HttpResponse<String> response = server.rest().post("/api/v1/access-token", Map.of(
                "X-Token", TestServer.TOKEN, "X-Host", TestServer.HOST, "Content-Type", "application/json",
                "Origin", ORIGIN), "{}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ORIGIN);
        assertThat(response.headers().firstValue("Access-Control-Expose-Headers")).hasValue("Retry-After");
    }

    @Test
    void sameOriginRequestsGetNoCorsHeaders() {
        HttpResponse<String> response = server.rest().post("/api/v1/access-token", Map.of(
                "X-Token", TestServer.TOKEN, "X-Host", TestServer.HOST, "Content-Type", "application/json"), "{}");
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }
}
