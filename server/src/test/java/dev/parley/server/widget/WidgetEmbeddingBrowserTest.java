package dev.parley.server.widget;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.WebSocket;
import com.microsoft.playwright.WebSocketRoute;
import com.microsoft.playwright.options.BoundingBox;
import com.microsoft.playwright.options.ReducedMotion;
import com.microsoft.playwright.options.WaitForSelectorState;
import dev.parley.server.auth.ContextKeySealer;
import dev.parley.server.auth.JwtSecret;
import dev.parley.server.store.ContextKey;
import dev.parley.server.store.sqlite.SqliteStore;
import dev.parley.server.testing.ContextTokens;
import dev.parley.server.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The widget as a site embeds it (a host page on another origin, real Chromium, a real Parley node):
 * inline rendering, the page API and its callbacks, theming, the unread badge, presence, the typing
 * dots, and the verified-context hook with a signed token. Every wait is one of Playwright's.
 */
class WidgetEmbeddingBrowserTest {
    private static final Duration CHUNK_DELAY = Duration.ofMillis(20);
    private static final double WAIT_MS = 10_000;
    private static final Path SHOTS = Paths.get("target", "screenshots");
    private static final String LAUNCHER = "button.plw-launch";
    private static final String PANEL = ".plw-panel";
    private static final String INPUT = ".plw-form textarea";
    private static final String GREETING = ".plw-agent[data-complete=true]:has-text(\"Hi, I'm Ada\")";

    @TempDir
    static Path sharedDir;
    static TestServer shared;
    static HostPages site;
    static Playwright playwright;
    static Browser browser;

    BrowserContext context;
    Page page;
    final List<String> consoleWarnings = new ArrayList<>();

    @BeforeAll
    static void startAll() throws IOException {
        Files.createDirectories(SHOTS);
        shared = TestServer.start(sharedDir, c -> c.withStreamChunkDelay(CHUNK_DELAY));
        site = HostPages.start();
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
        if (site != null) {
            site.close();
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
        page.onConsoleMessage(m -> {
            if (m.type().equals("warning") || m.type().equals("error")) {
                consoleWarnings.add(m.text());
            }
        });
    }

    @AfterEach
    void closePage() {
        context.close();
    }

    /** A new browser context: no conversation kept in sessionStorage from the page before. */
    private void fresh() {
        context.close();
        consoleWarnings.clear();
        newPage();
    }

    private String embed(String path, String attributes, String body) {
        return site.page(path, HostPages.embedding(shared.baseUrl(), attributes, body));
    }

    // ---- data-render-mode="inline" ----------------------------------------------------------------

    @Test
    void inlineModeFillsItsTargetWithoutALauncherAndStartsAtOnce() {
        page.navigate(embed("/inline", "data-render-mode=\"inline\" data-target=\"#chat\"",
                "<p>Questions? Ask below.</p><div id=\"chat\" style=\"width:420px;height:560px\"></div><p>Footer</p>"));

        // No click: the panel is part of the page and the conversation starts by itself.
        page.waitForSelector(GREETING);
        assertThat(page.evaluate("() => document.querySelector('.plw-root').parentElement.id")).isEqualTo("chat");
        assertThat(page.locator(LAUNCHER).count()).isZero();
        assertThat(page.getAttribute(PANEL, "role")).isEqualTo("region");
        assertThat(page.isVisible(".plw-hbtn[aria-label='Close chat']")).isFalse();
        // The chat did not take the keyboard from the page on load.
        assertThat(page.evaluate("() => document.activeElement === document.body")).isEqualTo(true);

        BoundingBox host = page.locator("#chat").boundingBox();
        BoundingBox panel = page.locator(PANEL).boundingBox();
        assertThat(panel.x).isEqualTo(host.x);
        assertThat(panel.y).isEqualTo(host.y);
        assertThat(panel.width).isEqualTo(host.width);
        assertThat(panel.height).isEqualTo(host.height);
        // In the page's flow, not fixed over it: the footer comes after the chat.
        assertThat(page.locator("text=Footer").boundingBox().y).isGreaterThanOrEqualTo(host.y + host.height);

        // Escape does not make an inline chat disappear.
        page.click(INPUT);
        page.keyboard().press("Escape");
        assertThat(page.isVisible(PANEL)).isTrue();
        page.fill(INPUT, "Opening hours?");
        page.press(INPUT, "Enter");
        page.waitForSelector(".plw-agent[data-complete=true]:has-text('Tuesday to Sunday')");
        shot("inline");
    }

    @Test
    void inlineModeWithoutATargetIsPlacedRightAfterItsScriptTag() {
        String html = "<!doctype html><html lang=\"en\"><head><title>Help</title></head><body><main><h1>Help</h1>"
                + "<section id=\"help\" style=\"height:520px\"><h2>Chat</h2><script src=\"" + shared.baseUrl()
                + "/widget.js\" data-connector-token=\"parley-demo-token\" data-host=\"localhost\""
                + " data-render-mode=\"inline\" defer></script></section><p>After</p></main></body></html>";
        page.navigate(site.page("/inline-here", html));
        page.waitForSelector(GREETING);
        assertThat(page.evaluate("() => { const r = document.querySelector('.plw-root');"
                + " return r.parentElement.id + ':' + r.previousElementSibling.tagName; }")).isEqualTo("help:SCRIPT");
    }

    @Test
    void inlineModeAtPhoneWidthStaysInItsHostInsteadOfCoveringThePage() {
        page.setViewportSize(375, 667);
        page.navigate(embed("/inline-phone", "data-render-mode=\"inline\" data-target=\"#chat\"",
                "<div id=\"chat\" style=\"height:480px\"></div>"));
        page.waitForSelector(GREETING);
        BoundingBox host = page.locator("#chat").boundingBox();
        BoundingBox panel = page.locator(PANEL).boundingBox();
        assertThat(panel.y).isEqualTo(host.y);
        assertThat(panel.height).isEqualTo(host.height);
        assertThat(panel.width).isLessThanOrEqualTo(375);
        assertThat(page.evaluate("() => document.documentElement.scrollWidth")).isEqualTo(375);
        shot("inline-phone");
    }

    @Test
    void floatingAtPhoneWidthIsStillFullScreenWithTheNewAttributes() {
        page.setViewportSize(375, 667);
        page.navigate(embed("/phone", "data-primary-color=\"#0f766e\"", ""));
        page.click(LAUNCHER);
        page.waitForSelector(GREETING);
        BoundingBox panel = page.locator(PANEL).boundingBox();
        assertThat(panel.width).isEqualTo(375);
        assertThat(panel.height).isEqualTo(667);
        assertThat(page.isVisible(LAUNCHER)).isFalse();
        assertThat(page.evaluate("() => document.documentElement.scrollWidth")).isEqualTo(375);
        shot("phone-themed");
    }

    // ---- theming and presentation attributes ---------------------------------------------------------

    @Test
    void primaryColourAttributeIsValidatedAndDrivesTheCustomProperties() {
        page.navigate(embed("/teal", "data-primary-color=\"#0f766e\"", ""));
        page.click(LAUNCHER);
        page.waitForSelector(GREETING);
        assertThat(background(LAUNCHER)).isEqualTo("rgb(15, 118, 110)");
        assertThat(background(".plw-head")).isEqualTo("rgb(15, 118, 110)");
        assertThat(color(".plw-head")).isEqualTo("rgb(255, 255, 255)");
        page.fill(INPUT, "hello");
        page.press(INPUT, "Enter");
        page.waitForSelector(".plw-user[data-status=sent]");
        assertThat(background(".plw-user")).isEqualTo("rgb(15, 118, 110)");
        shot("themed-teal");

        fresh();
        // A light colour gets dark text on it, and the suggestion text falls back to a readable colour.
        page.navigate(embed("/yellow", "data-primary-color=\"#ffd400\"", ""));
        page.click(LAUNCHER);
        page.waitForSelector(GREETING);
        assertThat(background(".plw-head")).isEqualTo("rgb(255, 212, 0)");
        assertThat(color(".plw-head")).isEqualTo("rgb(17, 17, 17)");
        assertThat(color(".plw-sugg button")).isEqualTo("rgb(27, 31, 36)");
        shot("themed-yellow");

        // Not a colour (here an attempt to smuggle in a declaration): refused with a warning, default kept.
        fresh();
        page.navigate(embed("/bad", "data-primary-color=\"red;background:url(x)\"", ""));
        page.waitForSelector(LAUNCHER);
        assertThat(background(LAUNCHER)).isEqualTo("rgb(36, 84, 214)");
        assertThat(consoleWarnings).anySatisfy(w -> assertThat(w).contains("data-primary-color"));

        // The page's own CSS custom properties theme it too.
        fresh();
        page.navigate(site.page("/css", HostPages.embedding(shared.baseUrl(), "",
                "<style>:root{--parley-primary:#6d28d9;--parley-radius:4px}</style>")));
        page.click(LAUNCHER);
        assertThat(background(LAUNCHER)).isEqualTo("rgb(109, 40, 217)");
        assertThat(page.evaluate("() => getComputedStyle(document.querySelector('.plw-panel')).borderTopLeftRadius"))
                .isEqualTo("4px");
    }

    @Test
    void withoutIconAndHeaderThePageOpensTheChatAndTheEndOffersANewOne() {
        page.navigate(embed("/bare", "data-show-icon=\"false\" data-show-header=\"false\" data-auto-open", ""));
        // data-auto-open: open on load, without taking the keyboard; no launcher, no header.
        page.waitForSelector(GREETING);
        assertThat(page.locator(LAUNCHER).isVisible()).isFalse();
        assertThat(page.locator(".plw-head").isVisible()).isFalse();
        assertThat(page.evaluate("() => document.activeElement === document.body")).isEqualTo(true);
        shot("no-header");

        page.evaluate("() => Parley.end()");
        page.waitForSelector(".plw-note:has-text('You ended the chat') button:has-text('New chat')");
        page.click(".plw-note button:has-text('New chat')");
        page.waitForSelector(GREETING);
        assertThat(page.isEnabled(INPUT)).isTrue();
    }

    // ---- the page API -----------------------------------------------------------------------------

    @Test
    void pageApiOpensClosesReportsEventsAndDestroysTheWidget() {
        AtomicBoolean socketClosed = new AtomicBoolean();
        page.onWebSocket(ws -> ws.onClose(s -> socketClosed.set(true)));
        page.navigate(embed("/api", "data-show-icon=\"false\"",
                "<button id=\"help\">Help</button><script>window.log = [];"
                        + "document.addEventListener('parley:ready', () => {"
                        + " for (const n of ['message', 'handoff', 'ended', 'open', 'close'])"
                        + "  Parley.on(n, (d) => log.push(n + ':' + (n === 'message' ? d.from.kind + ':' + d.text"
                        + "   : n === 'handoff' ? d.stage : n === 'ended' ? d.reason : '')));"
                        + " Parley.on('message', () => { throw new Error('a broken page callback'); });"
                        + "});</script>"));
        page.waitForFunction("() => window.Parley");
        assertThat(page.isVisible(PANEL)).isFalse();
        assertThat(page.isVisible(LAUNCHER)).isFalse();

        // onReady after the widget is ready still runs (asynchronously), with the API.
        page.evaluate("() => Parley.onReady((api) => { window.readyApi = api === window.Parley; })");
        page.waitForFunction("() => window.readyApi === true");

        // open() from a page button: the panel opens, focus goes to the input, the greeting is reported.
        page.click("#help");
        page.evaluate("() => Parley.open()");
        page.waitForSelector(GREETING);
        assertThat(page.evaluate("() => document.activeElement.matches('.plw-form textarea')")).isEqualTo(true);
        page.waitForFunction("() => log.some((e) => e.startsWith('message:ai:Hi, I'))");
        assertThat(log()).startsWith("open:");
        assertThat(page.isVisible(".plw-presence[data-state=online]:has-text('Online')")).isTrue();

        // close(): hidden, and without a launcher the keyboard goes back where it was (the page's button).
        page.evaluate("() => Parley.close()");
        page.waitForSelector(PANEL, new Page.WaitForSelectorOptions().setState(WaitForSelectorState.HIDDEN));
        assertThat(page.evaluate("() => document.activeElement.id")).isEqualTo("help");
        assertThat(log()).contains("close:");

        // A handoff is reported stage by stage; presence turns to away while nobody answers.
        page.evaluate("() => { Parley.open(); Parley.send('I want to talk to a person'); }");
        page.waitForFunction("() => log.includes('handoff:queued')");
        assertThat(log()).containsSubsequence("handoff:requested", "handoff:accepted", "handoff:queued");
        page.waitForSelector(".plw-presence[data-state=away]:has-text('Away')");
        shot("handoff-away");

        // end() ends without asking; 'ended' names the reason.
        page.evaluate("() => Parley.end()");
        page.waitForFunction("() => log.includes('ended:REASON_USER_END')");
        assertThat(consoleWarnings).anySatisfy(w -> assertThat(w).contains("a broken page callback"));

        // destroy(): DOM, styles, socket and window.Parley gone; the script can be embedded again.
        page.evaluate("() => Parley.destroy()");
        assertThat(page.locator(".plw-root").count()).isZero();
        assertThat(page.evaluate("() => [typeof window.Parley, !!document.getElementById('plw-style')].join()"))
                .isEqualTo("undefined,false");
        page.waitForCondition(socketClosed::get);
        page.evaluate("(src) => { const s = document.createElement('script'); s.src = src;"
                + " s.dataset.connectorToken = 'parley-demo-token'; s.dataset.host = 'localhost';"
                + " document.body.appendChild(s); }", shared.baseUrl() + "/widget.js");
        page.waitForFunction("() => window.Parley && document.querySelector('.plw-launch')");
        page.click(LAUNCHER);
        page.waitForSelector(GREETING);
    }

    @Test
    void destroyWhileConnectedClosesTheSocketAndKeepsTheConversationForTheNextEmbed() {
        List<WebSocket> sockets = new ArrayList<>();
        page.onWebSocket(sockets::add);
        page.navigate(embed("/keep", "", ""));
        page.click(LAUNCHER);
        page.waitForSelector(GREETING);
        Object sid = page.evaluate("() => JSON.parse(Object.values({...sessionStorage})[0]).sid");
        page.evaluate("() => Parley.destroy()");
        page.waitForCondition(() -> sockets.get(0).isClosed());
        page.evaluate("(src) => { const s = document.createElement('script'); s.src = src;"
                + " s.dataset.connectorToken = 'parley-demo-token'; s.dataset.host = 'localhost';"
                + " document.body.appendChild(s); }", shared.baseUrl() + "/widget.js");
        // The same conversation comes back (open, as it was), with its greeting once.
        page.waitForSelector(GREETING);
        assertThat(page.locator(GREETING).count()).isEqualTo(1);
        assertThat(page.evaluate("() => JSON.parse(Object.values({...sessionStorage})[0]).sid")).isEqualTo(sid);
    }

    // ---- unread badge, typing dots -------------------------------------------------------------------

    @Test
    void agentMessagesWhileClosedAreCountedOnTheLauncherAndClearedOnOpen() {
        page.navigate(embed("/unread", "", ""));
        page.click(LAUNCHER);
        page.waitForSelector(GREETING);
        page.click(LAUNCHER); // closed
        assertThat(page.isVisible(".plw-badge")).isFalse();

        page.evaluate("() => Parley.send('What are your opening hours?')");
        page.waitForSelector(".plw-badge:has-text('1')");
        page.evaluate("() => Parley.send('How much does it cost?')");
        page.waitForSelector(".plw-badge:has-text('2')");
        assertThat(page.getAttribute(LAUNCHER, "aria-label")).isEqualTo("Open chat: Shop chat, 2 unread messages");
        shot("unread-badge");

        // A reload replays the history: the count is kept, not recounted.
        page.reload();
        page.waitForSelector(".plw-log .plw-agent[data-complete=true]:has-text('Starters cost')",
                new Page.WaitForSelectorOptions().setState(WaitForSelectorState.ATTACHED));
        assertThat(page.textContent(".plw-badge")).isEqualTo("2");

        page.click(LAUNCHER);
        page.waitForSelector(".plw-badge", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.HIDDEN));
        assertThat(page.getAttribute(LAUNCHER, "aria-label")).isEqualTo("Close chat: Shop chat");
        // While open, nothing is counted.
        page.fill(INPUT, "Book a table");
        page.press(INPUT, "Enter");
        page.waitForSelector(".plw-agent[data-complete=true]:has-text('booking page')");
        page.click(LAUNCHER);
        assertThat(page.isVisible(".plw-badge")).isFalse();
    }

    @Test
    void typingShowsThreeAnimatedDotsThatStandStillUnderReducedMotion() {
        // The agent's replies are held back, so the "thinking" indicator stays up to be looked at.
        AtomicBoolean hold = new AtomicBoolean(false);
        page.routeWebSocket(Pattern.compile(".*/ws\\?.*"), ws -> {
            WebSocketRoute server = ws.connectToServer();
            server.onMessage(frame -> {
                if (!(hold.get() && frame.text().contains("EVENT_TYPE_POLY_AGENT_MESSAGE"))) {
                    ws.send(frame.text());
                }
            });
        });
        page.navigate(embed("/typing", "", ""));
        page.click(LAUNCHER);
        page.waitForSelector(GREETING);
        hold.set(true);
        page.fill(INPUT, "Opening hours?");
        page.press(INPUT, "Enter");
        page.waitForSelector(".plw-typing:has-text('Ada is typing…')");
        assertThat(page.locator(".plw-typing .plw-dots span").count()).isEqualTo(3);
        assertThat(page.getAttribute(".plw-typing .plw-dots", "aria-hidden")).isEqualTo("true");
        assertThat(page.evaluate("() => getComputedStyle(document.querySelector('.plw-dots span')).animationName"))
                .isEqualTo("plw-bounce");
        page.locator(".plw-typing").screenshot(new Locator.ScreenshotOptions().setPath(SHOTS.resolve("typing-dots.png")));
        shot("typing");

        page.emulateMedia(new Page.EmulateMediaOptions().setReducedMotion(ReducedMotion.REDUCE));
        assertThat(page.evaluate("() => getComputedStyle(document.querySelector('.plw-dots span')).animationName"))
                .isEqualTo("none");
    }

    // ---- verified context ---------------------------------------------------------------------------

    @Test
    void onContextRequiredGetsTheContextIdAndTheSignedTokenReachesTheGreeting(@TempDir Path dir) throws IOException {
        String secret = "d2lkZ2V0LWJyb3dzZXItY29udGV4dC1rZXktMDEyMzQ1";
        Path flow = Files.writeString(dir.resolve("flow.yaml"), """
                agent:
                  name: Ada
                greeting:
                  text: "Hello {{context.first_name}}, you are on the {{context.plan}} plan."
                fallback:
                  text: Sorry?
                """);
        TestServer server = TestServer.start(dir.resolve("data"), c -> c.withFlowFile(flow));
        try (server) {
            try (SqliteStore store = SqliteStore.open(dir.resolve("data"))) {
                String sealed = ContextKeySealer.fromServerSecret(JwtSecret.loadOrCreate(dir.resolve("data")),
                        new SecureRandom()).seal("con_demo", "site-1", secret.getBytes(StandardCharsets.US_ASCII));
                store.addContextKey(new ContextKey("con_demo", "site-1", sealed, Instant.now()));
            }
            List<String> asked = new ArrayList<>();
            // The site's backend, signing for the context id the widget was given.
            page.exposeFunction("signContext", args -> {
                asked.add((String) args[0]);
                return ContextTokens.sign("site-1", secret, (String) args[0], Map.of("first_name", "Eve", "plan", "gold"));
            });
            page.navigate(site.page("/ctx", HostPages.embedding(server.baseUrl(), "",
                    "<script>window.ctx = [];document.addEventListener('parley:ready', () => {"
                            + " Parley.onContextRequired((c) => window.signContext(c.contextId));"
                            + " Parley.on('context', (r) => ctx.push(r.verified + ':' + r.keys.slice().sort().join('+')));"
                            + "});</script>")));
            page.click(LAUNCHER);
            // The join waited for the context, so the agent's first turn already knows the user.
            page.waitForSelector(".plw-agent[data-complete=true]:has-text('Hello Eve, you are on the gold plan.')");
            assertThat(asked).singleElement().satisfies(id -> assertThat(id).matches("ctx_[0-9a-f]{32}"));
            assertThat(page.evaluate("() => ctx.join()")).isEqualTo("true:first_name+plan");
            // The flow has no avatar: the byline shows the initial, nothing broken.
            assertThat(page.textContent(".plw-agent .plw-av")).isEqualTo("A");
            assertThat(page.locator(".plw-agent .plw-av img").count()).isZero();
            assertThat(page.isVisible(".plw-head img")).isFalse();

            // A reload does not ask again (the server keeps the context with the session).
            page.reload();
            page.waitForSelector(".plw-agent[data-complete=true]:has-text('Hello Eve')");
            assertThat(asked).hasSize(1);
        }
    }

    @Test
    void aRefusedContextTokenIsReportedAndTheChatGoesOnWithoutIt() {
        page.navigate(embed("/ctx-bad", "", "<script>window.ctx = [];document.addEventListener('parley:ready', () => {"
                + " Parley.onContextRequired(() => 'not-a-jwt');"
                + " Parley.on('context', (r) => ctx.push(r.verified + ':' + r.status));"
                + "});</script>"));
        page.click(LAUNCHER);
        page.waitForSelector(GREETING);
        page.waitForFunction("() => ctx.length === 1");
        assertThat(page.evaluate("() => ctx[0]")).isEqualTo("false:422");
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private List<String> log() {
        return (List<String>) page.evaluate("() => window.log");
    }

    private String background(String selector) {
        return (String) page.evaluate("(s) => getComputedStyle(document.querySelector(s)).backgroundColor", selector);
    }

    private String color(String selector) {
        return (String) page.evaluate("(s) => getComputedStyle(document.querySelector(s)).color", selector);
    }

    private void shot(String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + ".png")));
    }
}
