package dev.parley.server.widget;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.WebSocketRoute;
import com.microsoft.playwright.options.WaitForSelectorState;
import com.sun.net.httpserver.HttpServer;
import dev.parley.server.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web widget in a real (system) Chromium against a real Parley node: the demo page, a
 * streamed conversation, suggestions, a server restart, a page reload, hostile text and the
 * keyboard. Every wait is one of Playwright's, bounded by a timeout.
 */
class WidgetBrowserTest {
    private static final Duration CHUNK_DELAY = Duration.ofMillis(20);
    private static final double WAIT_MS = 10_000;
    private static final double RECOVER_MS = 30_000;
    private static final Path SHOTS = Paths.get("target", "screenshots");

    private static final String LAUNCHER = "button.plw-launch";
    private static final String PANEL = ".plw-panel";
    private static final String INPUT = ".plw-form textarea";
    private static final String BUBBLES = ".plw-log [data-mid]";

    @TempDir
    static Path sharedDir;
    static TestServer shared;
    static Playwright playwright;
    static Browser browser;

    BrowserContext context;
    Page page;

    @BeforeAll
    static void startAll() throws IOException {
        Files.createDirectories(SHOTS);
        shared = TestServer.start(sharedDir, c -> c.withStreamChunkDelay(CHUNK_DELAY));
        playwright = SystemChromium.playwright();
        browser = SystemChromium.launch(playwright);
    }

    @AfterAll
    static void stopAll() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
        if (shared != null) {
            shared.close();
        }
    }

    @BeforeEach
    void newPage() {
        context = browser.newContext();
        context.setDefaultTimeout(WAIT_MS);
        page = context.newPage();
    }

    @AfterEach
    void closePage() {
        context.close();
    }

    @Test
    void conversationSurvivesAServerRestartAndAPageReload(@TempDir Path dataDir) {
        int port = freePort();
        TestServer server = TestServer.start(dataDir, c -> c.withPort(port).withStreamChunkDelay(CHUNK_DELAY));
        try {
            page.navigate("http://127.0.0.1:" + port + "/");
            page.click(LAUNCHER);

            // The greeting streams in: first incomplete, then complete; the header shows the agent.
            page.waitForSelector(".plw-agent[data-complete=false]");
            Locator greeting = page.locator(".plw-agent[data-complete=true]").first();
            greeting.waitFor();
            assertThat(greeting.textContent()).contains("Harbour Kitchen");
            assertThat(page.textContent(".plw-name")).isEqualTo("Ada");
            // The demo's avatar ships with the server: a path in the flow, resolved against the chat server.
            assertThat(page.getAttribute(".plw-head img", "src")).isEqualTo("http://127.0.0.1:" + port + "/widget/assets/ada.svg");
            page.waitForFunction("() => document.querySelector('.plw-head img').naturalWidth > 0");

            // A typed message is echoed (sent) and answered.
            page.fill(INPUT, "What are your opening hours?");
            page.press(INPUT, "Enter");
            page.waitForSelector(".plw-user[data-status=sent]:has-text('What are your opening hours?')");
            waitForAgentText("Tuesday to Sunday");

            // A suggestion button sends its text and gets its reply, with a link card.
            page.click(".plw-sugg button:has-text('Book a table')");
            page.waitForSelector(".plw-user[data-status=sent]:has-text('Book a table')");
            waitForAgentText("booking page");
            page.waitForSelector("a.plw-att[href='https://example.com/book']:has-text('Choose a time')");
            assertThat(page.locator(BUBBLES).count()).isEqualTo(5);
            shot("conversation");

            // The server goes away and comes back on the same port and data directory.
            server.close();
            page.waitForSelector(".plw-status:has-text('Reconnecting')");
            page.fill(INPUT, "Show me the menu");
            page.press(INPUT, "Enter");
            page.waitForSelector(".plw-user[data-status=sending]:has-text('Show me the menu')");
            shot("reconnecting");
            server = TestServer.start(dataDir, c -> c.withPort(port).withStreamChunkDelay(CHUNK_DELAY));

            page.waitForSelector(".plw-user[data-status=sent]:has-text('Show me the menu')",
                    new Page.WaitForSelectorOptions().setTimeout(RECOVER_MS));
            waitForAgentText("tonight's menu");
            page.waitForSelector("a.plw-att[href='http://127.0.0.1:" + port + "/widget/assets/menu.svg'] img",
                    new Page.WaitForSelectorOptions().setState(WaitForSelectorState.ATTACHED));
            page.waitForSelector(".plw-status", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.HIDDEN));
            List<String> before = bubbleIds();
            assertThat(before).hasSize(7).doesNotHaveDuplicates();
            assertThat(page.locator(".plw-user").allTextContents())
                    .hasSize(3).allSatisfy(t -> assertThat(t).endsWith("Sent"));
            shot("recovered");

            // A reload keeps the session (sessionStorage) and redraws the whole history.
            page.reload();
            page.waitForSelector(PANEL);
            page.locator(BUBBLES).nth(6).waitFor();
            page.waitForSelector(".plw-agent[data-complete=true]:has-text(\"tonight's menu\")");
            assertThat(bubbleIds()).isEqualTo(before);
            assertThat(page.textContent(".plw-name")).isEqualTo("Ada");
            Object stored = page.evaluate("() => JSON.stringify({s: {...sessionStorage}, l: {...localStorage}})");
            assertThat((String) stored).contains("\\\"sid\\\"").doesNotContain("eyJ");
            shot("reloaded");

            // And the conversation goes on where it was, without a second join.
            page.fill(INPUT, "How much does it cost?");
            page.press(INPUT, "Enter");
            waitForAgentText("Starters cost");
            assertThat(bubbleIds()).hasSize(9).doesNotHaveDuplicates().startsWith(before.toArray(String[]::new));
            assertThat(page.locator(".plw-agent > .plw-txt:has-text(\"Hi, I'm Ada\")").count()).isEqualTo(1);
        } finally {
            server.close();
        }
    }

    @Test
    void hostileTextIsShownAsTextAndNeverRunsOrBecomesMarkup() {
        List<String> dialogs = new ArrayList<>();
        page.onDialog(dialog -> {
            dialogs.add(dialog.message());
            dialog.dismiss();
        });
        openDemo();
        String img = "<img src=x onerror=alert(1)>";
        String script = "<script>alert(2)</script>";
        for (String text : List.of(img, script)) {
            page.fill(INPUT, text);
            page.press(INPUT, "Enter");
        }
        Locator users = page.locator(".plw-user[data-status=sent] .plw-txt");
        users.nth(1).waitFor();
        assertThat(users.allTextContents()).containsExactly(img, script);
        page.locator(".plw-agent[data-complete=true]").nth(2).waitFor(); // both answered: all rendered
        assertThat(page.locator(".plw-log img[src=x]").count()).isZero(); // avatars are the only images
        assertThat(page.locator(".plw-txt img").count()).isZero();
        assertThat(page.locator(".plw-log script").count()).isZero();
        assertThat(dialogs).isEmpty();
        shot("hostile-text");
    }

    @Test
    void sessionEndDisablesInputAndANewChatCanHandOff() {
        openDemo();
        page.fill(INPUT, "That's all, goodbye");
        page.press(INPUT, "Enter");
        waitForAgentText("Have a lovely day");
        page.waitForSelector(".plw-note:has-text('The chat has ended')");
        assertThat(page.isDisabled(INPUT)).isTrue();
        assertThat(page.isDisabled(".plw-send")).isTrue();
        shot("session-ended");

        page.click(".plw-hbtn:has-text('New chat')");
        page.waitForSelector(".plw-agent[data-complete=true]:has-text(\"Hi, I'm Ada\")");
        assertThat(page.locator(BUBBLES).count()).isEqualTo(1);
        assertThat(page.isEnabled(INPUT)).isTrue();

        page.fill(INPUT, "I want to talk to a person");
        page.press(INPUT, "Enter");
        page.waitForSelector(".plw-note:has-text('Connecting you to a person')");
        // The desk is on by default: a server-managed handoff, nobody at the desk yet, so the user waits.
        page.waitForSelector(".plw-note:has-text('Ada has left the chat')");
        page.waitForSelector(".plw-note:has-text('waiting for a person')");
        page.waitForSelector(".plw-sub:has-text('You are next in the queue for support.')");
        assertThat(page.textContent(".plw-name")).isEqualTo("Chat with us");
        shot("server-handoff-waiting");
    }

    @Test
    void theWidgetsOwnTextsFollowTheConversationLanguageAlsoAfterAReload() {
        openDemo();
        assertThat(page.textContent(".plw-send")).isEqualTo("Send");
        page.fill(INPUT, "français");
        page.press(INPUT, "Enter");
        waitForAgentText("Avec plaisir");
        page.waitForSelector(".plw-send:has-text('Envoyer')");
        assertThat(page.getAttribute(INPUT, "placeholder")).isEqualTo("Écrivez un message…");
        assertThat(page.textContent(".plw-hbtn:not([hidden])")).isEqualTo("Terminer");
        assertThat(page.getAttribute(".plw-root", "lang")).isEqualTo("fr");
        shot("language-fr");

        page.reload(); // the replay carries LANGUAGE_CHANGED: the texts come back in French
        page.waitForSelector(".plw-agent[data-complete=true]:has-text('Avec plaisir')");
        page.waitForSelector(".plw-send:has-text('Envoyer')");

        page.fill(INPUT, "deutsch");
        page.press(INPUT, "Enter");
        waitForAgentText("Gern, machen wir auf Deutsch weiter");
        page.waitForSelector(".plw-send:has-text('Senden')");
        assertThat(page.getAttribute(INPUT, "placeholder")).isEqualTo("Nachricht schreiben…");
    }

    @Test
    void embeddedOnAnotherOriginTheWidgetTalksAcrossOriginsAndReportsARefusedConnector() throws IOException {
        // The host page comes from another origin (another port) on loopback, like a site embedding the chat.
        HttpServer site = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        site.createContext("/", exchange -> {
            byte[] body = embedPage(exchange.getRequestURI().getPath().contains("bad") ? "not-a-connector" : TestServer.TOKEN)
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        site.start();
        try {
            String embed = "http://127.0.0.1:" + site.getAddress().getPort() + "/shop/";
            page.navigate(embed + "good");
            page.click(LAUNCHER);
            page.waitForSelector(".plw-agent[data-complete=true]:has-text(\"Hi, I'm Ada\")");
            page.fill(INPUT, "Opening hours?");
            page.press(INPUT, "Enter");
            waitForAgentText("Tuesday to Sunday");

            page.navigate(embed + "bad");
            page.click(LAUNCHER);
            page.waitForSelector(".plw-note.plw-err:has-text('not available')");
            assertThat(page.locator(BUBBLES).count()).isZero();
        } finally {
            site.stop(0);
        }
    }

    private String embedPage(String connectorToken) {
        return "<!doctype html><title>Shop</title><h1>A shop</h1>"
                + "<script src=\"" + shared.baseUrl() + "/widget.js\" data-connector-token=\"" + connectorToken
                + "\" data-host=\"localhost\" data-title=\"Shop chat\" defer></script>";
    }

        @Test
    void aMessageWithoutEchoIsResentThreeTimesThenFailedAndCanBeRetried() {
        // Page timers run on a fake clock; the socket is proxied so user messages can be swallowed.
        page.clock().install();
        AtomicBoolean swallow = new AtomicBoolean(true);
        AtomicInteger swallowed = new AtomicInteger();
        page.routeWebSocket(Pattern.compile(".*/ws\\?.*"), ws -> {
            WebSocketRoute server = ws.connectToServer();
            ws.onMessage(frame -> {
                if (swallow.get() && frame.text().contains("EVENT_TYPE_USER_MESSAGE")) {
                    swallowed.incrementAndGet();
                } else {
                    server.send(frame.text());
                }
            });
        });
        openDemo();

        page.fill(INPUT, "Opening hours please");
        page.press(INPUT, "Enter");
        page.waitForSelector(".plw-user[data-status=sending]");
        for (long wait : new long[] {5_000, 10_000, 15_000}) {
            page.clock().runFor(wait);
            assertThat(page.getAttribute(".plw-user", "data-status")).isEqualTo("sending");
        }
        page.clock().runFor(20_000);
        page.waitForSelector(".plw-user[data-status=failed] button.plw-retry");
        assertThat(swallowed.get()).isEqualTo(4); // the send and three resends
        shot("delivery-failed");

        swallow.set(false);
        page.click(".plw-user button.plw-retry");
        page.waitForSelector(".plw-user[data-status=sent]:has-text('Opening hours please')");
        waitForAgentText("Tuesday to Sunday");
        assertThat(page.locator(".plw-user").count()).isEqualTo(1);
    }

        @Test
    void keyboardOpensWithEnterAndClosesWithEscape() {
        page.navigate(shared.baseUrl() + "/");
        page.waitForSelector(LAUNCHER);
        page.keyboard().press("Tab");
        assertThat(page.evaluate("() => document.activeElement.classList.contains('plw-launch')")).isEqualTo(true);
        assertThat(page.getAttribute(LAUNCHER, "aria-expanded")).isEqualTo("false");

        page.keyboard().press("Enter");
        page.waitForSelector(PANEL, new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));
        assertThat(page.getAttribute(LAUNCHER, "aria-expanded")).isEqualTo("true");
        assertThat(page.evaluate("() => document.activeElement.matches('.plw-form textarea')")).isEqualTo(true);
        assertThat(page.getAttribute(".plw-log", "role")).isEqualTo("log");
        assertThat(page.getAttribute(".plw-log", "aria-live")).isEqualTo("polite");
        page.locator(".plw-agent[data-complete=true]").first().waitFor();
        shot("keyboard-open");

        page.keyboard().press("Escape");
        page.waitForSelector(PANEL, new Page.WaitForSelectorOptions().setState(WaitForSelectorState.HIDDEN));
        assertThat(page.evaluate("() => document.activeElement.classList.contains('plw-launch')")).isEqualTo(true);
    }

    private void openDemo() {
        page.navigate(shared.baseUrl() + "/");
        page.click(LAUNCHER);
        page.locator(".plw-agent[data-complete=true]").first().waitFor();
    }

    private void waitForAgentText(String text) {
        page.waitForSelector(".plw-agent[data-complete=true]:has-text(\"" + text + "\")");
    }

    private List<String> bubbleIds() {
        List<String> ids = new ArrayList<>();
        Locator all = page.locator(BUBBLES);
        for (int i = 0, n = all.count(); i < n; i++) {
            ids.add(all.nth(i).getAttribute("data-mid"));
        }
        assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
        return ids;
    }

    private void shot(String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + ".png")));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
