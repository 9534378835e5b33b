package dev.parley.server.http.desk;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.parley.server.config.DeskConfig;
import dev.parley.server.desk.QueueSettings;
import dev.parley.server.widget.SystemChromium;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The widget's side of a handoff in real Chromium against a node with the desk on: what the user
 * sees when nobody comes (PROTOCOL.md §9.3) and who the header names as speakers come and go. It
 * lives beside the desk tests because it drives Sarah through {@link DeskTestNode} and {@link DeskClient}.
 */
class WidgetHandoffBrowserTest {
    private static final Path SHOTS = Paths.get("target", "screenshots");
    private static final String INPUT = ".plw-form textarea";
    private static final String NAME = ".plw-name";
    private static final String ASK_FOR_HUMAN = "I want to talk to a person";
    private static final String CONTINUE = ".plw-choice button[data-choice=ai]";
    private static final String START_NEW = ".plw-choice button[data-choice=new]";

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

    /** Support times out after {@code maxWait}; nobody is logged in, so nobody serves it. */
    private void startNode(List<QueueSettings> queues) {
        DeskConfig desk = DeskTestNode.withoutDemoAgent(DeskConfig.DEFAULTS).withQueues(queues);
        node = new DeskTestNode(dir, desk, null, List.of());
    }

    @Test
    void afterAHandoffTimeoutTheInputWaitsForAChoiceAndContinuingWithTheAiGetsAnswers() {
        startNode(List.of(QueueSettings.auto("support", Duration.ofSeconds(2))));
        openWidget();
        ask(ASK_FOR_HUMAN);

        // Waiting: Ada has left, so the header no longer names her; the queue text is the server's own.
        page.waitForSelector(".plw-note:has-text('Ada has left the chat')");
        page.waitForSelector(".plw-sub:has-text('You are next in the queue for support.')");
        assertThat(page.textContent(NAME)).isEqualTo("Chat with us");
        assertThat(page.isVisible(".plw-head img")).isFalse();
        assertThat(page.locator(".plw-note:has-text('shortly')").count()).isZero();
        shot("handoff-waiting");

        // Nobody came: two ways on, and an input that cannot be used until one is chosen.
        page.waitForSelector(".plw-note:has-text('No agent became available in time')");
        page.waitForSelector(CONTINUE + ":has-text('Continue with Ada')");
        assertThat(page.textContent(START_NEW)).isEqualTo("Start a new chat");
        assertThat(page.isDisabled(INPUT)).isTrue();
        assertThat(page.isDisabled(".plw-send")).isTrue();
        assertThat(page.locator(".plw-user[data-status=failed]").count()).isZero();
        shot("handoff-timeout-choice");

        page.click(CONTINUE);
        page.waitForSelector(INPUT + ":enabled");
        assertThat(page.locator(".plw-choice").count()).isZero();
        page.waitForSelector(NAME + ":text-is('Ada')");
        ask("What are your opening hours?");
        page.waitForSelector(".plw-agent[data-complete=true]:has-text('Tuesday to Sunday')");
        assertThat(page.locator(".plw-err:has-text('Conversation not found')").count()).isZero();
    }

    @Test
    void afterAFailedHandoffStartingANewChatGivesAFreshWorkingConversation() {
        // The flow hands off to support, which is closed: the desk refuses the handoff. (A queue the
        // desk lacks altogether is now refused at start-up.)
        startNode(List.of(new QueueSettings("support", QueueSettings.Assignment.AUTO, Duration.ofMinutes(10), false)));
        openWidget();
        String first = sessionId();
        ask(ASK_FOR_HUMAN);
        page.waitForSelector(".plw-note:has-text(\"couldn't connect you to an agent\")");
        page.waitForSelector(START_NEW);
        assertThat(page.isDisabled(INPUT)).isTrue();

        page.click(START_NEW);
        page.waitForSelector(".plw-agent[data-complete=true]:has-text(\"Hi, I'm Ada\")");
        assertThat(page.locator(".plw-log [data-mid]").count()).isEqualTo(1);
        assertThat(page.isEnabled(INPUT)).isTrue();
        assertThat(sessionId()).isNotEqualTo(first);
        ask("Opening hours?");
        page.waitForSelector(".plw-agent[data-complete=true]:has-text('Tuesday to Sunday')");
    }

    @Test
    void theHeaderNamesTheLiveAgentWhileSheIsThereAndNobodyAfterSheLeft() {
        startNode(List.of(QueueSettings.auto("support", Duration.ofMinutes(10))));
        DeskClient sarah = node.connectAgent("Sarah");
        try {
            openWidget();
            assertThat(page.textContent(NAME)).isEqualTo("Ada");
            ask(ASK_FOR_HUMAN);
            page.waitForSelector(".plw-note:has-text('Sarah has joined the chat')");
            page.waitForSelector(NAME + ":text-is('Sarah')");
            assertThat(page.textContent(".plw-sub")).isEqualTo("Live agent");

            String sessionId = sessionId();
            sarah.send(DeskClient.command("desk.send").put("session_id", sessionId).put("text", "Hello, Sarah here."));
            sarah.send(DeskClient.command("desk.send").put("session_id", sessionId).put("text", "How can I help?"));
            page.waitForSelector(".plw-agent:has-text('How can I help?')");
            // A person's bubbles look unlike the AI's: her name, no AI tag; her two messages form one group.
            Locator first = page.locator(".plw-agent:has-text('Hello, Sarah here.')");
            assertThat(first.getAttribute("class")).contains("plw-human").doesNotContain("plw-cont");
            assertThat(first.locator(".plw-who-name").textContent()).isEqualTo("Sarah");
            assertThat(first.locator(".plw-tag").count()).isZero();
            assertThat(page.locator(".plw-agent:has-text('How can I help?')").getAttribute("class")).contains("plw-cont");
            assertThat(page.locator(".plw-agent.plw-ai").first().locator(".plw-tag").textContent()).isEqualTo("AI");
            shot("live-agent-chat");
            sarah.send(DeskClient.command("desk.end").put("session_id", sessionId));
            page.waitForSelector(".plw-note:has-text('Sarah has left the chat')");
            page.waitForSelector(NAME + ":text-is('Chat with us')");
            assertThat(page.textContent(".plw-sub")).isEmpty();
            shot("live-agent-left");
        } finally {
            sarah.close();
        }
    }

    @Test
    void aTransferToAnotherQueueTakesTheAgentsNameOffTheHeader() {
        startNode(List.of(QueueSettings.auto("support", Duration.ofMinutes(10)),
                new QueueSettings("sales", QueueSettings.Assignment.MANUAL, Duration.ofMinutes(10), true)));
        DeskClient sarah = node.connectAgent("Sarah");
        try {
            openWidget();
            ask(ASK_FOR_HUMAN);
            page.waitForSelector(NAME + ":text-is('Sarah')");
            // A transfer sends no LIVE_AGENT_LEFT, only the new queue status (docs/official-clients.md).
            sarah.send(DeskClient.command("desk.transfer").put("session_id", sessionId()).put("queue", "sales"));
            page.waitForSelector(".plw-sub:has-text('You are next in the queue for sales.')");
            assertThat(page.textContent(NAME)).isEqualTo("Chat with us");
            assertThat(page.isEnabled(INPUT)).isTrue(); // the desk still reads what the user writes while queued
        } finally {
            sarah.close();
        }
    }

    private void openWidget() {
        page.navigate(node.baseUrl() + "/");
        page.click("button.plw-launch");
        page.locator(".plw-agent[data-complete=true]").first().waitFor();
    }

    private void ask(String text) {
        page.fill(INPUT, text);
        page.press(INPUT, "Enter");
    }

    private String sessionId() {
        return (String) page.evaluate("() => Object.keys(sessionStorage).filter(k => k.startsWith('parley:'))"
                + ".map(k => JSON.parse(sessionStorage.getItem(k)).sid)[0]");
    }

    private void shot(String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + ".png")));
    }
}
