package dev.parley.server.widget;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.WebSocketRoute;
import com.microsoft.playwright.options.WaitForSelectorState;
import dev.parley.server.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Accessibility of the widget in real Chromium: axe-core (its own script, from the test classpath,
 * injected into the page) over every main state with no serious or critical violation, and a whole
 * conversation with the keyboard only, checking where focus goes at each step.
 */
class WidgetAccessibilityBrowserTest {
    /** The webjar's version, as in the parent POM. */
    private static final String AXE = "/META-INF/resources/webjars/axe-core/4.6.3/axe.min.js";
    private static final Duration CHUNK_DELAY = Duration.ofMillis(20);
    private static final double WAIT_MS = 10_000;
    private static final Path SHOTS = Paths.get("target", "screenshots");
    private static final String LAUNCHER = "button.plw-launch";
    private static final String INPUT = ".plw-form textarea";
    private static final String GREETING = ".plw-agent[data-complete=true]:has-text(\"Hi, I'm Ada\")";

    @TempDir
    static Path sharedDir;
    static TestServer shared;
    static HostPages site;
    static Playwright playwright;
    static Browser browser;
    static String axeSource;

    BrowserContext context;
    Page page;

    @BeforeAll
    static void startAll() throws IOException {
        Files.createDirectories(SHOTS);
        try (InputStream in = WidgetAccessibilityBrowserTest.class.getResourceAsStream(AXE)) {
            assertThat(in).as("axe-core on the test classpath").isNotNull();
            axeSource = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
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
    }

    @AfterEach
    void closePage() {
        context.close();
    }

    private String embed(String path, String attributes) {
        return site.page(path, HostPages.embedding(shared.baseUrl(), attributes, "<p>Welcome to the shop.</p>"));
    }

    @Test
    void noSeriousOrCriticalViolationInAnyMainStateOfTheFloatingWidget() {
        AtomicBoolean hold = new AtomicBoolean(false);
        page.routeWebSocket(Pattern.compile(".*/ws\\?.*"), ws -> {
            WebSocketRoute server = ws.connectToServer();
            server.onMessage(frame -> {
                if (!(hold.get() && frame.text().contains("EVENT_TYPE_POLY_AGENT_MESSAGE"))) {
                    ws.send(frame.text());
                }
            });
        });
        page.navigate(embed("/a11y", ""));
        page.waitForSelector(LAUNCHER);
        assertNoSeriousViolations("closed");

        page.click(LAUNCHER);
        page.waitForSelector(GREETING);
        assertNoSeriousViolations("greeting with suggestions");

        page.fill(INPUT, "Show me the menu");
        page.press(INPUT, "Enter");
        page.waitForSelector(".plw-agent[data-complete=true] a.plw-att img");
        page.waitForFunction("() => document.querySelector('a.plw-att img').complete");
        assertNoSeriousViolations("attachment card and a sent message");

        hold.set(true);
        page.fill(INPUT, "Opening hours?");
        page.press(INPUT, "Enter");
        page.waitForSelector(".plw-typing .plw-dots");
        assertNoSeriousViolations("typing");
        hold.set(false);

        page.click(".plw-hbtn:has-text('End chat')");
        page.waitForSelector(".plw-confirm", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));
        assertNoSeriousViolations("end confirmation");
        page.click(".plw-confirm button:has-text('Keep chatting')");

        page.fill(INPUT, "I want to talk to a person");
        page.press(INPUT, "Enter");
        page.waitForSelector(".plw-presence[data-state=away]");
        page.waitForSelector(".plw-sub:has-text('in the queue')");
        assertNoSeriousViolations("waiting for a person");
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("a11y-waiting.png")));

        page.click(".plw-hbtn:has-text('End chat')");
        page.click(".plw-confirm button:has-text('End chat')");
        page.waitForSelector(".plw-hbtn:has-text('New chat')");
        assertNoSeriousViolations("ended");

        page.click(".plw-hbtn:has-text('New chat')");
        page.waitForSelector(GREETING);
        page.click(LAUNCHER); // closed again
        page.evaluate("() => Parley.send('Opening hours?')");
        page.waitForSelector(".plw-badge:has-text('1')");
        assertNoSeriousViolations("unread badge");
    }

    @Test
    void noSeriousOrCriticalViolationInlineThemedOrInFrench() {
        page.navigate(site.page("/a11y-inline", HostPages.embedding(shared.baseUrl(),
                "data-render-mode=\"inline\" data-target=\"#chat\" data-primary-color=\"#ffd400\"",
                "<div id=\"chat\" style=\"height:520px\"></div>")));
        page.waitForSelector(GREETING);
        assertNoSeriousViolations("inline, light primary colour");

        page.fill(INPUT, "français");
        page.press(INPUT, "Enter");
        page.waitForSelector(".plw-agent[data-complete=true]:has-text('Avec plaisir')");
        assertNoSeriousViolations("inline, in French");
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("a11y-inline-fr.png")));

        context.close(); // a new tab: not the French conversation again
        newPage();
        page.setViewportSize(375, 667);
        page.navigate(embed("/a11y-phone", "data-primary-color=\"#6d28d9\""));
        page.click(LAUNCHER);
        page.waitForSelector(GREETING);
        assertNoSeriousViolations("phone width, full screen, dark primary colour");
    }

    @Test
    void aWholeConversationWorksWithTheKeyboardOnlyAndFocusGoesWhereTheUserIs() {
        page.navigate(embed("/keys", ""));
        page.waitForSelector(LAUNCHER);

        // Tab reaches the launcher, with a visible focus ring; Enter opens and puts the caret in the input.
        page.keyboard().press("Tab");
        assertThat(active()).isEqualTo("launch");
        assertThat(page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")).isEqualTo("solid");
        page.keyboard().press("Enter");
        page.waitForSelector(GREETING);
        assertThat(active()).isEqualTo("textarea");

        page.keyboard().type("What are your opening hours?");
        page.keyboard().press("Enter");
        page.waitForSelector(".plw-agent[data-complete=true]:has-text('Tuesday to Sunday')");
        assertThat(active()).isEqualTo("textarea");

        // Back from the input: the newest reply's suggestions come first, then Enter picks one.
        page.keyboard().press("Shift+Tab");
        assertThat(page.evaluate("() => document.activeElement.textContent")).isEqualTo("Show me the menu");
        page.keyboard().press("Enter");
        page.waitForSelector(".plw-agent[data-complete=true]:has-text(\"tonight's menu\")");

        // The conversation log itself is focusable (to scroll it with the arrow keys).
        focusBackwardsUntil("() => document.activeElement.classList.contains('plw-log')");
        assertThat(page.getAttribute(".plw-log", "aria-label")).isEqualTo("Conversation");

        // End chat asks; Escape backs out to the button; Enter again, then the confirmation's own button.
        focusBackwardsUntil("() => document.activeElement.textContent === 'End chat'");
        page.keyboard().press("Enter");
        assertThat(page.evaluate("() => document.activeElement.textContent")).isEqualTo("Keep chatting");
        page.keyboard().press("Escape");
        page.waitForSelector(".plw-confirm", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.HIDDEN));
        assertThat(page.evaluate("() => document.activeElement.textContent")).isEqualTo("End chat");
        assertThat(page.isVisible(".plw-panel")).isTrue();
        page.keyboard().press("Enter");
        page.keyboard().press("Shift+Tab");
        assertThat(page.evaluate("() => document.activeElement.dataset.confirm")).isEqualTo("end");
        page.keyboard().press("Enter");
        page.waitForSelector(".plw-note:has-text('You ended the chat')");
        // The input is disabled now: focus moves to what can go on, "New chat".
        assertThat(page.evaluate("() => document.activeElement.textContent")).isEqualTo("New chat");
        page.keyboard().press("Enter");
        page.waitForSelector(GREETING);
        assertThat(active()).isEqualTo("textarea");

        // Escape closes and hands focus back to the launcher.
        page.keyboard().press("Escape");
        page.waitForSelector(".plw-panel", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.HIDDEN));
        assertThat(active()).isEqualTo("launch");
    }

    /** "launch" for the launcher, "textarea" for the input, else the focused element's tag. */
    private String active() {
        return (String) page.evaluate("() => { const a = document.activeElement;"
                + " return a.classList.contains('plw-launch') ? 'launch' : a.tagName.toLowerCase(); }");
    }

    private void focusBackwardsUntil(String condition) {
        for (int i = 0; i < 30; i++) {
            page.keyboard().press("Shift+Tab");
            if (Boolean.TRUE.equals(page.evaluate(condition))) {
                return;
            }
        }
        throw new AssertionError("Shift+Tab never reached: " + condition);
    }

    /** axe-core over the widget's own elements; moderate and minor findings are printed, not failed on. */
    private void assertNoSeriousViolations(String state) {
        if (Boolean.FALSE.equals(page.evaluate("() => typeof window.axe !== 'undefined'"))) {
            page.addScriptTag(new Page.AddScriptTagOptions().setContent(axeSource));
        }
        @SuppressWarnings("unchecked")
        List<String> found = (List<String>) page.evaluate("async () => {"
                + " const r = await axe.run({ include: [['.plw-root']] },"
                + "  { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });"
                + " return r.violations.map((v) => v.impact + ' ' + v.id + ': ' + v.help + ' @ '"
                + "  + v.nodes.map((n) => n.target.join(' ') + ' ' + (n.failureSummary || '')).join(' | '));"
                + "}");
        if (!found.isEmpty()) {
            System.out.println("axe, " + state + ": " + found);
        }
        assertThat(found).as("axe, " + state)
                .noneMatch(v -> v.startsWith("serious ") || v.startsWith("critical "));
    }
}
