package dev.parley.server.widget;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.sun.net.httpserver.HttpServer;
import dev.parley.server.testing.TestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The headless client in a real (system) Chromium: a page on another origin imports
 * {@code /parley-client.js} from the Parley node as an ES module (which needs CORS on the script),
 * renders a streamed conversation with its own markup, sends a message with a receipt and ends the
 * session. Every wait is one of Playwright's, bounded by a timeout.
 */
class JsClientBrowserTest {
    private static final double WAIT_MS = 15_000;

    @Test
    void aPageOnAnotherOriginImportsTheModuleAndCompletesAConversation(@TempDir Path dataDir) throws IOException {
        try (TestServer parley = TestServer.start(dataDir, c -> c.withStreamChunkDelay(Duration.ofMillis(10)));
             Playwright playwright = SystemChromium.playwright();
             Browser browser = SystemChromium.launch(playwright)) {
            HttpServer site = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            site.createContext("/", exchange -> {
                byte[] body = page(parley.baseUrl()).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            site.start();
            try (BrowserContext context = browser.newContext()) {
                context.setDefaultTimeout(WAIT_MS);
                Page page = context.newPage();
                List<String> errors = new ArrayList<>();
                page.onPageError(errors::add);
                page.onConsoleMessage(m -> {
                    if ("error".equals(m.type())) {
                        errors.add(m.text());
                    }
                });
                page.navigate("http://127.0.0.1:" + site.getAddress().getPort() + "/shop");

                // The greeting streams in (partials), then completes; the state is connected.
                page.waitForSelector("#log .agent[data-complete=true]:has-text('Harbour Kitchen')");
                assertThat(page.evaluate("() => window.partials")).asInstanceOf(
                        org.assertj.core.api.InstanceOfAssertFactories.INTEGER).isGreaterThan(1);
                page.waitForSelector("#state:text-is('connected')");

                // A message goes out with a receipt (sending, then sent) and is answered.
                page.fill("#text", "What are your opening hours?");
                page.click("#send");
                page.waitForSelector("#log .user[data-status=sent]:has-text('What are your opening hours?')");
                page.waitForSelector("#log .agent[data-complete=true]:has-text('Tuesday to Sunday')");

                // A suggestion of the reply is sent back as a message.
                page.click("#log .agent[data-complete=true]:has-text('Tuesday to Sunday') button >> nth=0");
                page.waitForSelector("#log .user[data-status=sent] >> nth=1");

                // Ending: the session ends as the user's, the conversation closes.
                page.click("#end");
                page.waitForSelector("#ended:text-is('REASON_USER_END')");
                page.waitForSelector("#state:text-is('closed')");
                assertThat(page.locator("#log .user").count()).isEqualTo(2);
                assertThat(page.locator("#log .user[data-status=sent]").count()).isEqualTo(2);
                assertThat(errors).isEmpty();
            } finally {
                site.stop(0);
            }
        }
    }

    /** A shop page with its own chat markup, driven by the module only (no widget). */
    private static String page(String parleyUrl) {
        return """
                <!doctype html><meta charset="utf-8"><title>Shop</title>
                <p>State: <span id="state"></span> Ended: <span id="ended"></span></p>
                <div id="log"></div>
                <input id="text"><button id="send">Send</button><button id="end">End</button>
                <script type="module">
                  import { ParleyClient } from '%1$s/parley-client.js';
                  const client = new ParleyClient({ baseUrl: '%1$s', connectorToken: '%2$s', host: '%3$s', streaming: true });
                  const chat = client.start();
                  const log = document.getElementById('log');
                  const bubble = (cls, text) => {
                    const d = document.createElement('div');
                    d.className = cls;
                    d.textContent = text;
                    log.appendChild(d);
                    return d;
                  };
                  const agent = new Map();
                  window.partials = 0;
                  chat.on('state', (s) => { document.getElementById('state').textContent = s; });
                  chat.on('partial', (p) => {
                    window.partials++;
                    let d = agent.get(p.messageId);
                    if (!d) { d = bubble('agent', ''); agent.set(p.messageId, d); }
                    d.dataset.complete = 'false';
                    d.textContent = p.text;
                  });
                  chat.on('message', (m) => {
                    let d = agent.get(m.messageId);
                    if (!d) { d = bubble('agent', ''); agent.set(m.messageId, d); }
                    d.textContent = m.text;
                    for (const s of m.suggestions) {
                      const b = document.createElement('button');
                      b.textContent = s.message_text;
                      b.onclick = () => say(s.message_text);
                      d.appendChild(b);
                    }
                    d.dataset.complete = 'true';
                  });
                  const mine = new Map();
                  chat.on('delivery', (out, status) => {
                    if (!mine.has(out.clientEventId)) mine.set(out.clientEventId, bubble('user', out.text));
                    mine.get(out.clientEventId).dataset.status = status;
                  });
                  chat.on('sessionEnded', (reason) => { document.getElementById('ended').textContent = reason; });
                  const say = (text) => chat.send(text);
                  document.getElementById('send').onclick = () => say(document.getElementById('text').value);
                  document.getElementById('end').onclick = () => chat.end();
                </script>
                """.formatted(parleyUrl, TestServer.TOKEN, TestServer.HOST);
    }
}
