package dev.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.config.ParleyConfig;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10: a node serves its connections on all of its event loops, on one port. */
class EventLoopsTest {
    @TempDir
    Path dir;

    @Test
    void twentySocketsOnOnePortAreServedByMoreThanOneEventLoop() {
        try (TestServer server = TestServer.start(dir, c -> c.withCapacity(new ParleyConfig.Capacity(2, 50_000)))) {
            String token = server.rest().accessToken();
            // Two sessions' worth of sockets (at most 10 per session).
            List<String> sessions = List.of(server.rest().createSession(token, false),
                    server.rest().createSession(token, false));
            List<WsClient> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    WsClient ws = WsClient.connect(server.baseUrl(), sessions.get(i / 10), token, null);
                    ws.replay(); // served: the upgrade and the replay happened on its loop
                    sockets.add(ws);
                }
                String scrape = server.rest().get("/metrics").body();
                Matcher loops = Pattern.compile("(?m)^parley_http_connections_total\\{event_loop=\"([^\"]+)\"} (\\S+)$")
                        .matcher(scrape);
                List<String> busy = new ArrayList<>();
                while (loops.find()) {
                    if (Double.parseDouble(loops.group(2)) > 0) {
                        busy.add(loops.group(1));
                    }
                }
                assertThat(busy).as(scrape).hasSizeGreaterThanOrEqualTo(2).allMatch(name -> name.startsWith("vert.x-eventloop"));
            } finally {
                sockets.forEach(WsClient::close);
            }
        }
    }
}
