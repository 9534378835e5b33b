package dev.parley.app;

import dev.parley.client.ClientOptions;
import picocli.CommandLine.Option;

/** Where the client-side commands connect, shared by {@code chat} and {@code bench} as a picocli mixin. */
final class ServerOptions {
    @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:PARLEY_URL:-http://127.0.0.1:8080}",
            description = "Server root (env PARLEY_URL, default ${DEFAULT-VALUE}).")
    String url;
    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:PARLEY_CONNECTOR_TOKEN:-parley-demo-token}",
            description = "Connector token (env PARLEY_CONNECTOR_TOKEN, default the demo token).")
    String token;
    @Option(names = "--host", paramLabel = "HOST", defaultValue = "${env:PARLEY_HOST:-localhost}",
            description = "Host registered with the connector (env PARLEY_HOST, default ${DEFAULT-VALUE}).")
    String host;
    @Option(names = "--streaming", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Ask for streamed replies (default on).")
    boolean streaming;

    /** SDK options for this server; callers add what else they need. */
    ClientOptions.Builder clientOptions() {
        return ClientOptions.builder().baseUrl(url).connectorToken(token).host(host).streaming(streaming);
    }
}
