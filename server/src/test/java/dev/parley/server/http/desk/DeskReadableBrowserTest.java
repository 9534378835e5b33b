package dev.parley.server.http.desk;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.BoundingBox;
import dev.parley.server.auth.ContextKeySealer;
import dev.parley.server.auth.JwtSecret;
import dev.parley.server.desk.ConversationLabel;
import dev.parley.server.store.ContextKey;
import dev.parley.server.store.NodeStore;
import dev.parley.server.testing.ContextTokens;
import dev.parley.server.testing.Frames;
import dev.parley.server.testing.TestStores;
import dev.parley.server.testing.WsClient;
import dev.parley.server.widget.SystemChromium;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The desk names conversations readably, shows who the customer is, times every message, sets the
 * AI's part apart, explains Leave and End, keeps its headers in view and downloads transcripts. Real
 * Chromium against a real node; the user is a WebSocket client with a verified context.
 */
class DeskReadableBrowserTest {
    private static final Path SHOTS = Paths.get("target", "screenshots");
    private static final String SECRET = "Zm9yLXRlc3RzLW9ubHktYS1jb250ZXh0LWtleS0wMTIzNA";
    private static final int HEIGHT = 800;

    private static Playwright playwright;
    private static Browser browser;

    @TempDir
    Path dir;
    private final List<Object> pageErrors = new CopyOnWriteArrayList<>();
    private DeskTestNode node;
    private Page page;
    private WsClient user;

    @BeforeAll
    static void browser() {
        playwright = SystemChromium.playwright();
        browser = SystemChromium.launch(playwright);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    @BeforeEach
    void start() {
        node = new DeskTestNode(dir);
        try (NodeStore store = TestStores.open(dir)) {
            String sealed = ContextKeySealer.fromServerSecret(JwtSecret.loadOrCreate(dir), new SecureRandom())
                    .seal("con_demo", "site-1", SECRET.getBytes(StandardCharsets.US_ASCII));
            store.addContextKey(new ContextKey("con_demo", "site-1", sealed, Instant.now()));
        }
        page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1200, HEIGHT).setAcceptDownloads(true));
        page.setDefaultTimeout(10_000);
        page.onPageError(error -> pageErrors.add(error));
    }

    @AfterEach
    void stop() {
        if (page != null) {
            page.close();
        }
        if (user != null) {
            user.close();
        }
        node.close();
    }

    @Test
    void theAgentSeesWhoTheyTalkToWhenEachThingWasSaidAndWhatLeaveAndEndDo() throws Exception {
        page.navigate(node.baseUrl() + "/desk");
        page.getByLabel("Name").fill("Sarah");
        page.getByLabel("Password").fill(DeskTestNode.PASSWORD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
        assertThat(page.locator("#conn")).hasText("Connected");
        Locator presence = page.getByRole(AriaRole.SWITCH, new Page.GetByRoleOptions().setName("Available"));
        page.waitForResponse(r -> r.url().endsWith("/desk/api/presence") && r.status() == 204, () -> presence.press("Space"));

        // Jane's site vouches for her name; she asks for a human and waits.
        user = node.newSession();
        String contextId = user.replay().get(0).path("payload").path("context_id").asText();
        user.join();
        Frames.readUntilAgentReply(user);
        Assertions.assertThat(ContextTokens.submit(node.rest(), user,
                ContextTokens.sign("site-1", SECRET, contextId, Map.of("name", "Jane Doe", "plan", "gold"))).statusCode())
                .isEqualTo(200);
        user.say("I need a human");
        Frames.readUntil(user, f -> Frames.type(f).equals("EVENT_TYPE_HANDOFF_QUEUE_STATUS"));
        String id = user.sessionId();
        String label = ConversationLabel.of(id);

        // Waiting: the label, not the UUID (which stays in the title).
        Locator waiting = page.locator("#queues li");
        assertThat(waiting.locator(".sid")).hasText(label);
        assertThat(waiting).hasAttribute("title", id);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions()
                .setName("Take conversation " + label + " (number 1 in support)")).click();
        Frames.readUntil(user, f -> Frames.type(f).equals("EVENT_TYPE_LIVE_AGENT_JOINED"));

        // Tab, panel title and her messages carry her verified name, the label second; the id is a title away.
        Locator tab = page.getByRole(AriaRole.TAB);
        assertThat(tab).hasText(Pattern.compile("Jane Doe"));
        assertThat(tab).hasAttribute("title", id);
        Locator panel = page.locator(".panel:not([hidden])");
        assertThat(panel.locator(".panel-title")).hasText("Jane Doe · " + label);
        assertThat(panel.locator(".panel-title")).hasAttribute("title", id);
        Locator facts = panel.locator(".customer dl");
        assertThat(fact(facts, "Platform")).hasText(Pattern.compile("^(Web|iOS|Android|\\w+)$"));
        assertThat(fact(facts, "Language")).hasText("not set");
        assertThat(fact(facts, "Waited")).hasText(Pattern.compile("^0:\\d\\d$"));
        assertThat(fact(facts, "Started").locator("time[datetime]")).hasCount(1);
        assertThat(fact(facts, "plan")).hasText("gold");
        assertThat(facts.locator("dt", new Locator.LocatorOptions().setHasText("name"))).hasCount(0); // it is the title
        assertThat(facts.locator("code.sid")).hasText(id);
        Locator log = panel.getByRole(AriaRole.LOG);
        assertThat(log.locator(".msg.user .who").first()).hasText("Jane Doe");

        // Every message has its time; the AI's part is set apart and the handover is a divider.
        assertThat(log.locator(".msg")).hasCount(3);
        Assertions.assertThat(log.locator(".msg time[datetime]").count()).isEqualTo(3);
        Assertions.assertThat(log.locator(".msg time").first().getAttribute("title")).isNotBlank();
        assertThat(log.locator(".msg.ai-phase")).hasCount(3);
        assertThat(log.locator(".handover")).hasText(Pattern.compile("^Handed over to you at \\d{1,2}:\\d\\d"));
        assertThat(log.locator(".handover")).not().hasClass(Pattern.compile("ai-phase"));
        panel.getByRole(AriaRole.TEXTBOX, new Locator.GetByRoleOptions().setName("Message")).fill("Hello Jane, Sarah here.");
        panel.getByRole(AriaRole.TEXTBOX, new Locator.GetByRoleOptions().setName("Message")).press("Enter");
        assertThat(log.locator(".msg.live")).hasCount(1);
        assertThat(log.locator(".msg.live")).not().hasClass(Pattern.compile("ai-phase"));
        assertThat(log.locator(".msg.live time[datetime]")).hasCount(1);

        // Leave and End say what they do, visibly and to screen readers.
        Locator leave = panel.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Leave"));
        Locator end = panel.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("End").setExact(true));
        assertThat(leave).hasAccessibleDescription("Leave: back to the queue for a colleague");
        assertThat(end).hasAccessibleDescription("End: finish the chat for the customer");
        assertThat(leave).hasAttribute("title", "Leave: back to the queue for a colleague");
        assertThat(panel.locator(".hint-end")).isVisible();
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("desk-readable-conversation.png")));

        // A long conversation scrolls inside its log; the headers and the composer stay in view.
        for (int i = 1; i <= 40; i++) {
            user.say("Line " + i + " of a long story");
        }
        assertThat(log.locator(".msg.user .text").last()).hasText("Line 40 of a long story");
        Assertions.assertThat((Boolean) log.evaluate("l => l.scrollHeight > l.clientHeight + 200")).isTrue();
        for (Locator always : List.of(page.locator(".bar"), panel.locator(".panel-head"),
                panel.locator(".composer"), leave)) {
            BoundingBox box = always.boundingBox();
            Assertions.assertThat(box.y).as("top of %s", always).isGreaterThanOrEqualTo(0);
            Assertions.assertThat(box.y + box.height).as("bottom of %s", always).isLessThanOrEqualTo(HEIGHT);
        }
        Assertions.assertThat((Boolean) page.evaluate(
                "document.scrollingElement.scrollHeight <= window.innerHeight")).as("the page itself does not scroll").isTrue();
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("desk-readable-long.png")));

        // The transcript downloads with the desk token (fetched, saved through a Blob URL).
        Download text = page.waitForDownload(() ->
                panel.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Download the transcript as Text")).click());
        Assertions.assertThat(text.suggestedFilename()).isEqualTo("conversation-" + id + ".txt");
        Assertions.assertThat(Files.readString(text.path())).startsWith("Conversation " + id).contains("Line 40 of a long story");
        Download html = page.waitForDownload(() -> panel.getByRole(AriaRole.BUTTON,
                new Locator.GetByRoleOptions().setName("Download the transcript as Printable HTML")).click());
        Assertions.assertThat(Files.readString(html.path())).startsWith("<!DOCTYPE html>");

        // End asks first, in the page; Cancel keeps the conversation.
        end.click();
        Locator confirm = panel.locator(".confirm-end");
        assertThat(confirm).isVisible();
        assertThat(confirm.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("End conversation"))).isFocused();
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("desk-readable-confirm-end.png")));
        confirm.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Cancel")).click();
        assertThat(confirm).isHidden();

        // Leave: she is told what she did, and Jane waits again first in line for a colleague.
        leave.click();
        Frames.readUntil(user, f -> Frames.type(f).equals("EVENT_TYPE_HANDOFF_QUEUE_STATUS"));
        assertThat(panel.locator(".state")).hasText("You left — back in support");
        assertThat(panel.locator(".state")).not().hasText("No longer assigned to you");
        assertThat(waiting.locator(".sid")).hasText(label);
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("desk-readable-left.png")));
        Assertions.assertThat(pageErrors).isEmpty();
    }

    private static Locator fact(Locator facts, String term) {
        return facts.locator("div").filter(new Locator.FilterOptions()
                .setHas(facts.page().locator("dt", new Page.LocatorOptions().setHasText(Pattern.compile("^" + term + "$")))))
                .locator("dd");
    }

    @Test
    void anEndedConversationInTheHistoryDownloadsToo() throws Exception {
        HistorySeed.seed(node.server().dataDir());
        page.navigate(node.baseUrl() + "/desk");
        page.getByLabel("Name").fill("Sarah");
        page.getByLabel("Password").fill(DeskTestNode.PASSWORD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
        assertThat(page.locator("#conn")).hasText("Connected");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("History")).click();
        page.locator("#history-form button[type=submit]").click();
        Locator result = page.locator(".hresult[title='h-support']");
        assertThat(result.locator(".hname")).hasText(ConversationLabel.of("h-support"));
        result.click();
        assertThat(page.locator("#history-view-title")).hasText(ConversationLabel.of("h-support"));
        assertThat(page.locator("#history-lines .msg time[datetime]").first()).isVisible();
        Download json = page.waitForDownload(() -> page.locator("#history-exports")
                .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Download the transcript as JSON")).click());
        Assertions.assertThat(json.suggestedFilename()).isEqualTo("conversation-h-support.json");
        Assertions.assertThat(Files.readString(json.path())).contains("\"session_id\":\"h-support\"");
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("desk-readable-history.png")));
        Assertions.assertThat(pageErrors).isEmpty();
    }
}
