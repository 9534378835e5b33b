package dev.parley.server.widget;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.parley.server.desk.ConversationLabel;
import dev.parley.server.http.DeskPage;
import dev.parley.server.http.desk.DeskTestNode;
import dev.parley.server.testing.Frames;
import dev.parley.server.testing.WsClient;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
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
 * The desk page ({@code /desk}: desk.html + desk.js, served by {@link DeskPage}) driven by a real Chromium against
 * the REAL desk: a {@link DeskTestNode} (real ParleyServer, desk on, live agents Sarah and Tom). End users are real
 * WebSocket clients ({@link WsClient}) that ask the demo flow for a human, which hands off to the AUTO queue
 * {@code support}.
 */
class DeskPageBrowserTest {
    private static final Path SHOTS = Paths.get("target", "screenshots");
    private static final String XSS = "<img src=x onerror=window.__xss=1>";
    // Playwright hands patterns to JavaScript, so no Pattern.quote (JS has no \\Q...\\E): escape by hand.
    /** The demo flow's {@code human} intent (flows/demo.yaml): handoff to {@code support}. */
    private static final String ASK_FOR_HUMAN = "I need a human";
    private static final Pattern GREETING = Pattern.compile("^Hi, I'm Ada, the virtual host of the Harbour Kitchen\\.");

    private static Playwright playwright;
    private static Browser browser;

    @TempDir
    Path dir;

    private final List<Object> pageErrors = new CopyOnWriteArrayList<>();
    private final List<WsClient> users = new ArrayList<>();
    private DeskTestNode node;
    private Page page;

    @BeforeAll
    static void browser() {
        playwright = SystemChromium.playwright();
        browser = SystemChromium.launch(playwright);
        PlaywrightAssertions.setDefaultAssertionTimeout(10_000);
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
        page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1200, 800));
        page.setDefaultTimeout(10_000);
        page.onPageError(error -> pageErrors.add(error));
    }

    @AfterEach
    void stop() {
        if (page != null) {
            page.close();
        }
        users.forEach(WsClient::close);
        node.close();
    }

    @Test
    void agentLogsInTakesAConversationChatsAndLeaves() {
        page.navigate(node.baseUrl() + "/desk");

        // Wrong password: stays on the login form with a message.
        page.getByLabel("Name").fill("Sarah");
        page.getByLabel("Password").fill("nope");
        logIn();
        assertThat(page.locator("#login-error")).hasText("Wrong name or password.");

        page.getByLabel("Password").fill(DeskTestNode.PASSWORD);
        logIn();
        assertThat(page.locator("#agent-name")).hasText("Signed in as Sarah");
        assertThat(page.locator("#conn")).hasText("Connected");
        Assertions.assertThat((String) page.evaluate("localStorage.length + ''")).isEqualTo("0");

        // Away first, so the AUTO queue cannot hand the user to Sarah: the PUT is answered before the user asks.
        Locator presence = page.getByRole(AriaRole.SWITCH, new Page.GetByRoleOptions().setName("Available"));
        assertThat(presence).isChecked();
        page.waitForResponse(r -> r.url().endsWith("/desk/api/presence") && r.status() == 204, () -> presence.press("Space"));
        assertThat(presence).not().isChecked();
        assertThat(page.locator("#presence-state")).hasText("Away");

        // The user asks the AI agent for a human and waits in support.
        WsClient user = handOff();
        JsonNode queued = last(Frames.readUntil(user, f -> Frames.type(f).equals("EVENT_TYPE_HANDOFF_QUEUE_STATUS")));
        Assertions.assertThat(queued.path("payload").path("position_in_queue").asInt()).isEqualTo(1);
        String sessionId = user.sessionId();

        Locator waiting = page.locator("#queues li");
        assertThat(waiting).hasCount(1);
        assertThat(waiting).containsText("#1");
        assertThat(waiting.locator(".waited")).hasText(Pattern.compile("^waited 0:\\d\\d$"));
        assertThat(presence).not().isChecked(); // the snapshot that brought the user kept Sarah Away
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("desk-waiting.png")));

        // Take it: the whole history, the AI agent's greeting included.
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions()
                .setName("Take conversation " + ConversationLabel.of(sessionId) + " (number 1 in support)")).click();
        Frames.readUntil(user, f -> Frames.type(f).equals("EVENT_TYPE_LIVE_AGENT_JOINED"));
        Locator tab = page.getByRole(AriaRole.TAB);
        assertThat(tab).hasCount(1);
        assertThat(tab).hasAttribute("aria-selected", "true");
        assertThat(tab).hasAttribute("title", sessionId);
        assertThat(waiting).hasCount(0);
        Locator log = page.getByRole(AriaRole.LOG);
        assertThat(log).hasAttribute("aria-live", "polite");
        assertThat(log.locator(".msg .text")).hasText(new Pattern[] {
            GREETING, Pattern.compile("^I need a human$"), Pattern.compile("^Let me connect you with a person\\.$")});
        assertThat(log.locator(".msg.ai .who").first()).hasText("AI agent");
        assertThat(log.locator(".notice")).containsText(new String[] {
            "AI agent handed off to a person", "Handoff accepted", "Handed over to you at"});

        // Type and send: the user sees Sarah typing, then her message.
        Locator composer = page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Message"));
        assertThat(composer).isFocused();
        composer.pressSequentially("Hi, this is Sarah");
        JsonNode typing = user.nextOfType("EVENT_TYPE_LIVE_AGENT_TYPING");
        Assertions.assertThat(typing.path("payload").path("state").asText()).isEqualTo("TYPING_STATE_STARTED");
        composer.press("Enter");
        List<JsonNode> upToMessage = Frames.readUntil(user, f -> Frames.type(f).equals("EVENT_TYPE_LIVE_AGENT_MESSAGE"));
        Assertions.assertThat(Frames.ofType(upToMessage, "EVENT_TYPE_LIVE_AGENT_TYPING"))
                .extracting(f -> f.path("payload").path("state").asText()).containsExactly("TYPING_STATE_STOPPED");
        JsonNode message = last(upToMessage);
        Assertions.assertThat(message.path("payload").path("text").asText()).isEqualTo("Hi, this is Sarah");
        Assertions.assertThat(message.path("payload").path("agent_id").asText()).isEqualTo("agt_sarah");
        assertThat(composer).hasValue("");
        Locator mine = log.locator(".msg.live");
        assertThat(mine).hasCount(1);
        assertThat(mine.locator(".text")).hasText("Hi, this is Sarah");
        assertThat(mine.locator(".who")).hasText("Sarah (you)");

        // The user answers with markup: shown as text, never run.
        user.say(XSS);
        assertThat(log.locator(".msg.user .text").last()).hasText(XSS);
        assertThat(log.locator("img")).hasCount(0);
        Assertions.assertThat(page.evaluate("window.__xss === undefined")).isEqualTo(true);

        // The user types: the indicator shows; it goes when they stop.
        user.send("{\"type\":\"EVENT_TYPE_USER_TYPING\",\"payload\":{\"state\":\"TYPING_STATE_STARTED\"}}");
        assertThat(page.locator(".typing")).hasText(ConversationLabel.of(sessionId) + " is typing…");
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("desk-conversation.png")));
        user.send("{\"type\":\"EVENT_TYPE_USER_TYPING\",\"payload\":{\"state\":\"TYPING_STATE_STOPPED\"}}");
        assertThat(page.locator(".typing")).hasText("");

        // End (confirmed in the page): the user sees the live agent go and the session end; the desk closes it.
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("End").setExact(true)).click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("End conversation")).click();
        List<JsonNode> end = Frames.readUntil(user, f -> Frames.type(f).equals("EVENT_TYPE_SESSION_END"));
        Assertions.assertThat(Frames.ofType(end, "EVENT_TYPE_LIVE_AGENT_LEFT")).hasSize(1);
        Assertions.assertThat(Frames.type(end.get(end.size() - 2))).isEqualTo("EVENT_TYPE_LIVE_AGENT_LEFT");
        Assertions.assertThat(last(end).path("payload").path("reason").asText()).isEqualTo("REASON_NATURAL_END");
        assertThat(log.locator(".notice").last()).containsText("Conversation ended");
        assertThat(page.locator(".panel .state")).hasText("You ended the conversation");
        assertThat(log.locator(".notice")).containsText(new String[] {"Live agent left", "Conversation ended"});
        assertThat(composer).isDisabled();
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Close tab"))).isVisible();
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("desk-left.png")));

        Assertions.assertThat(pageErrors).isEmpty();
    }

    @Test
    void twoConversationsAtOnceAreTwoTabsAndMessagesGoToTheRightUser() {
        page.navigate(node.baseUrl() + "/desk");
        page.getByLabel("Name").fill("Sarah");
        page.getByLabel("Password").fill(DeskTestNode.PASSWORD);
        logIn();
        assertThat(page.locator("#conn")).hasText("Connected");
        assertThat(page.getByRole(AriaRole.SWITCH, new Page.GetByRoleOptions().setName("Available"))).isChecked();

        // Sarah is available and support is AUTO: both users come straight to her.
        WsClient first = handOff();
        Frames.readUntil(first, f -> Frames.type(f).equals("EVENT_TYPE_LIVE_AGENT_JOINED"));
        WsClient second = handOff();
        Frames.readUntil(second, f -> Frames.type(f).equals("EVENT_TYPE_LIVE_AGENT_JOINED"));

        Locator tabs = page.getByRole(AriaRole.TAB);
        assertThat(tabs).hasCount(2);
        Locator firstTab = tab(first);
        Locator secondTab = tab(second);
        assertThat(firstTab).hasAttribute("aria-selected", "true");
        assertThat(secondTab).hasAttribute("aria-selected", "false");
        assertThat(page.locator("#queues li")).hasCount(0);

        // Each panel has its own user's history.
        first.say("first user here");
        second.say("second user here");
        assertThat(panel(first).locator(".msg.user .text").last()).hasText("first user here");
        assertThat(secondTab).containsText("new");
        secondTab.click();
        assertThat(secondTab).hasAttribute("aria-selected", "true");
        assertThat(panel(second).locator(".msg.user .text").last()).hasText("second user here");
        assertThat(panel(second).locator(".msg.ai .text").first()).hasText(GREETING);
        assertThat(panel(first)).isHidden();

        send(second, "Hello second");
        Assertions.assertThat(liveMessage(second).path("payload").path("text").asText()).isEqualTo("Hello second");
        firstTab.click();
        send(first, "Hello first");
        Assertions.assertThat(liveMessage(first).path("payload").path("text").asText()).isEqualTo("Hello first");
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("desk-two-tabs.png")));

        // Nobody got the other one's message.
        Assertions.assertThat(Frames.ofType(first.drain(), "EVENT_TYPE_LIVE_AGENT_MESSAGE")).isEmpty();
        Assertions.assertThat(Frames.ofType(second.drain(), "EVENT_TYPE_LIVE_AGENT_MESSAGE")).isEmpty();
        assertThat(panel(first).locator(".msg.live .text")).hasText(new String[] {"Hello first"});
        assertThat(panel(second).locator(".msg.live .text")).hasText(new String[] {"Hello second"});

        // A reload keeps the login (this tab's sessionStorage); the new socket brings both conversations back with
        // their history once each (the desk.event batch and the transcript overlap; duplicates are dropped by id).
        page.reload();
        assertThat(page.locator("#conn")).hasText("Connected");
        assertThat(tabs).hasCount(2);
        assertThat(panel(first).locator(".msg .text")).hasText(new Pattern[] {
            GREETING, Pattern.compile("^I need a human$"), Pattern.compile("^Let me connect you with a person\\.$"),
            Pattern.compile("^first user here$"), Pattern.compile("^Hello first$")});
        assertThat(panel(second).locator(".msg.live .text")).hasText(new String[] {"Hello second"});
        assertThat(panel(second).locator(".notice").filter(new Locator.FilterOptions().setHasText("Handed over to you")))
                .hasCount(1);
        Assertions.assertThat(pageErrors).isEmpty();
    }

    private void logIn() {
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
    }

    /** A new end user: joins, reads the greeting and asks for a human (the demo flow hands off to support). */
    private WsClient handOff() {
        WsClient user = node.newSession();
        users.add(user);
        user.replay();
        user.join();
        Frames.readUntilAgentReply(user);
        user.say(ASK_FOR_HUMAN);
        return user;
    }

    private Locator tab(WsClient user) {
        return page.locator("[role=tab][title='" + user.sessionId() + "']");
    }

    private Locator panel(WsClient user) {
        return page.locator("#" + tab(user).getAttribute("aria-controls"));
    }

    /** Types {@code text} into the user's panel and sends it with Enter. */
    private void send(WsClient user, String text) {
        Locator composer = panel(user).getByRole(AriaRole.TEXTBOX, new Locator.GetByRoleOptions().setName("Message"));
        composer.fill(text);
        composer.press("Enter");
        assertThat(composer).hasValue("");
    }

    private static JsonNode last(List<JsonNode> frames) {
        return frames.get(frames.size() - 1);
    }

    private static JsonNode liveMessage(WsClient user) {
        return user.nextOfType("EVENT_TYPE_LIVE_AGENT_MESSAGE");
    }
}
