package dev.parley.server.http.desk;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.parley.server.config.DeskConfig;
import dev.parley.server.csat.CsatRating;
import dev.parley.server.store.NodeStore;
import dev.parley.server.widget.SystemChromium;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The widget's rating card in real Chromium: Sarah takes the conversation over the desk socket and
 * ends it, the widget asks "How did Sarah do?", the user picks 4 and writes a comment, and the rating
 * is stored for Sarah; a reload does not ask again. Dismissing works the same way without a rating.
 */
class WidgetCsatBrowserTest {
    private static final Path SHOTS = Paths.get("target", "screenshots");
    private static final String INPUT = ".plw-form textarea";
    private static final String CARD = ".plw-csat";

    static Playwright playwright;
    static Browser browser;

    @TempDir
    Path dir;
    DeskTestNode node;
    BrowserContext context;
    Page page;

    @BeforeAll
    static void startBrowser() throws IOException {
        Files.createDirectories(SHOTS);
        playwright = SystemChromium.playwright();
        browser = SystemChromium.launch(playwright);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    @BeforeEach
    void newPage() {
        node = new DeskTestNode(dir, DeskTestNode.withoutDemoAgent(DeskConfig.DEFAULTS), null, List.of());
        context = browser.newContext();
        context.setDefaultTimeout(10_000);
        page = context.newPage();
    }

    @AfterEach
    void stop() {
        context.close();
        if (node != null) {
            node.close();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void afterSarahEndsTheChatTheUserRatesHerFourWithACommentAndIsNotAskedAgain() {
        DeskClient sarah = node.connectAgent("Sarah");
        try {
            String sessionId = chatWithSarahUntilSheEndsIt(sarah);

            page.waitForSelector(CARD + " .plw-csat-q:text-is('How did Sarah do?')");
            assertThat(page.locator(CARD).getAttribute("role")).isEqualTo("group");
            assertThat(page.locator(CARD + " [role=radiogroup] [role=radio]").count()).isEqualTo(5);
            assertThat(page.getAttribute(CARD + " [data-rating='4']", "aria-label")).isEqualTo("4 of 5");
            assertThat(page.isDisabled(CARD + " [data-csat=send]")).as("nothing chosen yet").isTrue();
            page.click(CARD + " [data-rating='4']");
            assertThat(page.getAttribute(CARD + " [data-rating='4']", "aria-checked")).isEqualTo("true");
            page.fill(CARD + " textarea", "Sarah sorted my booking out quickly.");
            shot("csat-card");
            page.click(CARD + " [data-csat=send]");

            page.waitForSelector(".plw-note:has-text('Thank you for your feedback!')");
            assertThat(page.locator(CARD).count()).isZero();
            shot("csat-thanks");
            Optional<CsatRating> stored = stored(sessionId);
            assertThat(stored).isPresent();
            assertThat(stored.get().rating()).isEqualTo(4);
            assertThat(stored.get().comment()).isEqualTo("Sarah sorted my booking out quickly.");
            assertThat(stored.get().agentId()).isEqualTo("agt_sarah");
            assertThat(stored.get().queue()).isEqualTo("support");
            List<Object> events = (List<Object>) page.evaluate("() => window.csatEvents.map(e => e.stage + ':' + (e.rating || ''))");
            assertThat(events).containsExactly((Object) "shown:", "given:4");

            page.reload();
            page.waitForFunction("() => window.Parley && document.querySelector('.plw-root')");
            page.evaluate("() => window.Parley.open()"); // open already if the new chat was open before the reload
            page.locator(".plw-agent[data-complete=true]").first().waitFor(); // a fresh chat with Ada
            assertThat(page.locator(CARD).count()).as("rated: never asked again").isZero();

            // Sarah's desk shows the rating with the conversation in its history.
            Page desk = context.newPage();
            desk.navigate(node.baseUrl() + "/desk");
            desk.getByLabel("Name").fill("Sarah");
            desk.getByLabel("Password").fill(DeskTestNode.PASSWORD);
            desk.getByLabel("Password").press("Enter");
            desk.waitForSelector("#agent-name:has-text('Signed in as Sarah')");
            desk.click("#history-toggle");
            desk.locator("#history-q").press("Enter");
            desk.locator("#history-results .hresult").first().click();
            desk.waitForSelector("#history-csat:has-text('Customer rating: 4 of 5')");
            assertThat(desk.textContent("#history-csat")).contains("Sarah sorted my booking out quickly.");
            desk.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("csat-desk-history.png")));
        } finally {
            sarah.close();
        }
    }

    @Test
    void aCardLeftUnansweredComesBackAfterAReloadAndNoThanksPutsItAwayForGood() {
        DeskClient sarah = node.connectAgent("Sarah");
        try {
            String sessionId = chatWithSarahUntilSheEndsIt(sarah);
            page.waitForSelector(CARD);

            page.reload();
            page.waitForSelector(CARD + " .plw-csat-q:text-is('How did Sarah do?')", new Page.WaitForSelectorOptions()
                    .setState(com.microsoft.playwright.options.WaitForSelectorState.ATTACHED));
            page.evaluate("() => window.Parley.open()");
            shot("csat-card-after-reload");
            page.click(CARD + " [data-csat=dismiss]");
            page.waitForSelector(".plw-note:has-text('Thanks for chatting with us')");

            page.reload();
            page.waitForFunction("() => window.Parley && document.querySelector('.plw-root')");
            page.evaluate("() => window.Parley.open()"); // open already if the new chat was open before the reload
            page.locator(".plw-agent[data-complete=true]").first().waitFor();
            assertThat(page.locator(CARD).count()).isZero();
            assertThat(stored(sessionId)).isEmpty();
        } finally {
            sarah.close();
        }
    }

    /** Opens the widget, asks for a person, lets Sarah greet and end; returns the session id. */
    private String chatWithSarahUntilSheEndsIt(DeskClient sarah) {
        page.addInitScript("window.csatEvents = []; document.addEventListener('parley:ready', (e) =>"
                + " e.detail.on('csat', (d) => window.csatEvents.push(d)));");
        page.navigate(node.baseUrl() + "/");
        page.click("button.plw-launch");
        page.locator(".plw-agent[data-complete=true]").first().waitFor();
        page.fill(INPUT, "I want to talk to a person");
        page.press(INPUT, "Enter");
        page.waitForSelector(".plw-note:has-text('Sarah has joined the chat')");
        String sessionId = (String) page.evaluate("() => Object.keys(sessionStorage).filter(k => k.startsWith('parley:')"
                + " && !k.endsWith(':csat')).map(k => JSON.parse(sessionStorage.getItem(k)).sid)[0]");
        sarah.send(DeskClient.command("desk.send").put("session_id", sessionId).put("text", "Hi, Sarah here. Booking fixed!"));
        page.waitForSelector(".plw-agent:has-text('Booking fixed!')");
        sarah.send(DeskClient.command("desk.end").put("session_id", sessionId));
        page.waitForSelector(".plw-note:has-text('The chat has ended')");
        return sessionId;
    }

    private Optional<CsatRating> stored(String sessionId) {
        try (NodeStore store = node.server().openStore()) {
            return store.csat().find(sessionId);
        }
    }

    private void shot(String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + ".png")));
    }
}
