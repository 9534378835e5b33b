package dev.parley.server.widget;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.parley.server.ParleyServer;
import dev.parley.server.desk.DeskAgent;
import dev.parley.server.desk.Passwords;
import dev.parley.server.http.desk.DeskTestNode;
import dev.parley.server.store.NodeStore;
import dev.parley.server.testing.Frames;
import dev.parley.server.testing.TestStores;
import dev.parley.server.testing.WsClient;
import java.nio.file.Path;
import java.nio.file.Paths;
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
 * The supervisor's Team view (desk-supervisor.js) in a real Chromium against the real desk: Maria
 * (supervisor, in no queue) and Sarah each on a page of their own, a user waiting in {@code support}.
 */
class DeskSupervisorBrowserTest {
    private static final Path SHOTS = Paths.get("target", "screenshots");

    private static Playwright playwright;
    private static Browser browser;

    @TempDir
    Path dir;

    private final List<Object> pageErrors = new CopyOnWriteArrayList<>();
    private DeskTestNode node;
    private BrowserContext sarahContext;
    private BrowserContext mariaContext;
    private WsClient user;

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
        try (NodeStore store = TestStores.open(dir)) {
            store.createAgent(new DeskAgent("agt_maria", ParleyServer.DEMO_CONNECTOR_ID, "Maria", null, List.of(), 3,
                    DeskAgent.Role.SUPERVISOR), new Passwords(4, new java.security.SecureRandom())
                    .hash(DeskTestNode.PASSWORD.toCharArray()));
        }
        sarahContext = browser.newContext(new Browser.NewContextOptions().setViewportSize(1200, 800));
        mariaContext = browser.newContext(new Browser.NewContextOptions().setViewportSize(1200, 800));
    }

    @AfterEach
    void stop() {
        if (user != null) {
            user.close();
        }
        sarahContext.close();
        mariaContext.close();
        node.close();
    }

    private Page logIn(BrowserContext context, String name) {
        Page page = context.newPage();
        page.setDefaultTimeout(10_000);
        page.onPageError(pageErrors::add);
        page.navigate(node.baseUrl() + "/desk");
        page.getByLabel("Name").fill(name);
        page.getByLabel("Password").fill(DeskTestNode.PASSWORD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
        assertThat(page.locator("#conn")).hasText("Connected");
        return page;
    }

    private static Locator button(Page page, String name) {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    private static void shot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name)));
    }

    @Test
    void supervisorSeesTheQueueWatchesTheConversationAndTakesItOver() {
        Page sarah = logIn(sarahContext, "Sarah");
        Locator presence = sarah.getByRole(AriaRole.SWITCH, new Page.GetByRoleOptions().setName("Available"));
        sarah.waitForResponse(r -> r.url().endsWith("/desk/api/presence") && r.status() == 204, () -> presence.press("Space"));
        assertThat(button(sarah, "Team")).hasCount(0); // plain agents have no Team view

        Page maria = logIn(mariaContext, "Maria");
        button(maria, "Team").click();
        assertThat(button(maria, "Team")).hasAttribute("aria-pressed", "true");
        Locator queues = maria.getByRole(AriaRole.TABLE, new Page.GetByRoleOptions().setName("Queues"));
        Locator agents = maria.getByRole(AriaRole.TABLE, new Page.GetByRoleOptions().setName("Agents"));
        Locator support = queues.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions().setHasText("support"));
        assertThat(support.locator("td").nth(0)).hasText("0");

        // a user waits in support: the supervisor sees the count, the wait and nobody available
        user = node.newSession();
        user.replay();
        user.join();
        Frames.readUntilAgentReply(user);
        user.say("I need a human");
        Frames.readUntil(user, f -> Frames.type(f).equals("EVENT_TYPE_HANDOFF_QUEUE_STATUS"));
        String sessionId = user.sessionId();
        assertThat(support.locator("td").nth(0)).hasText("1");
        assertThat(support.locator("td").nth(1)).hasText(Pattern.compile("^0:\\d\\d$"));
        assertThat(support.locator("td").nth(2)).hasText("0");
        assertThat(support.locator("td").nth(3)).hasText("—"); // nobody assigned from the queue yet
        Locator sarahRow = agents.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions().setHasText("Sarah"));
        assertThat(sarahRow.locator("td").nth(0)).hasText("Away");
        shot(maria, "supervisor-team-waiting.png");

        // Sarah takes it: her row shows the load and the conversation
        sarah.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions()
                .setName("Take conversation " + dev.parley.server.desk.ConversationLabel.of(sessionId) + " (number 1 in support)"))
                .click();
        Frames.readUntil(user, f -> Frames.type(f).equals("EVENT_TYPE_LIVE_AGENT_JOINED"));
        assertThat(support.locator("td").nth(0)).hasText("0");
        assertThat(sarahRow.locator("td").nth(1)).hasText("1 / 3");
        assertThat(support.locator("td").nth(3)).hasText(Pattern.compile("^0:\\d\\d$")); // the wait just ended
        assertThat(sarahRow).containsText(dev.parley.server.desk.ConversationLabel.of(sessionId));
        shot(maria, "supervisor-team-assigned.png");

        // watch: a read-only tab with the history, then the user's words live
        button(maria, "Watch conversation " + sessionId).click();
        Locator panel = maria.getByRole(AriaRole.TABPANEL);
        assertThat(panel.locator(".state")).hasText("Watching");
        assertThat(panel.getByRole(AriaRole.TEXTBOX, new Locator.GetByRoleOptions().setName("Message"))).isHidden();
        Locator log = panel.getByRole(AriaRole.LOG);
        assertThat(log.locator(".msg.user .text").first()).hasText("I need a human");
        user.say("Is my table for four confirmed?");
        assertThat(log.locator(".msg.user .text").last()).hasText("Is my table for four confirmed?");
        shot(maria, "supervisor-watching.png");

        // take over: Sarah's page says who took it; the user gets Maria, and her reply
        button(maria, "Take over conversation " + sessionId).click();
        assertThat(sarah.locator(".panel .state")).hasText("Taken over by Maria");
        List<JsonNode> joined = Frames.readUntil(user, f -> Frames.type(f).equals("EVENT_TYPE_LIVE_AGENT_JOINED"));
        Assertions.assertThat(joined.get(joined.size() - 1).path("payload").path("agent").path("name").asText())
                .isEqualTo("Maria");
        Assertions.assertThat(Frames.ofType(joined, "EVENT_TYPE_LIVE_AGENT_LEFT")).isEmpty();
        shot(sarah, "agent-taken-over.png");
        assertThat(panel.locator(".state")).hasText("");
        Locator composer = panel.getByRole(AriaRole.TEXTBOX, new Locator.GetByRoleOptions().setName("Message"));
        assertThat(composer).isVisible();
        composer.fill("Maria here: yes, confirmed for four at eight.");
        composer.press("Enter");
        JsonNode reply = Frames.readUntil(user, f -> Frames.type(f).equals("EVENT_TYPE_LIVE_AGENT_MESSAGE"))
                .stream().reduce((a, b) -> b).orElseThrow();
        Assertions.assertThat(reply.path("payload").path("text").asText()).isEqualTo("Maria here: yes, confirmed for four at eight.");
        Assertions.assertThat(reply.path("payload").path("agent_id").asText()).isEqualTo("agt_maria");
        assertThat(log.locator(".msg.live .text").last()).hasText("Maria here: yes, confirmed for four at eight.");
        shot(maria, "supervisor-took-over.png");

        // the Team view now counts the conversation as Maria's
        button(maria, "Team").click();
        Locator mariaRow = agents.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions().setHasText("Maria"));
        assertThat(mariaRow.locator("td").nth(1)).hasText("1 / 3");
        assertThat(sarahRow.locator("td").nth(1)).hasText("0 / 3");
        // Maria's reply is the conversation's first response, counted for her and for the queue; no CSAT yet
        assertThat(mariaRow.locator("td").nth(3)).hasText(Pattern.compile("^0:\\d\\d$"));
        assertThat(sarahRow.locator("td").nth(3)).hasText("—"); // Sarah never wrote
        assertThat(support.locator("td").nth(4)).hasText(Pattern.compile("^0:\\d\\d$"));
        assertThat(support.locator("td").nth(5)).hasText("—");
        shot(maria, "supervisor-team-first-response.png");

        // History: a supervisor in no queue filters by every queue of the connector
        button(maria, "History").click();
        assertThat(maria.locator("#team")).isHidden();
        assertThat(maria.locator("#history-queue option")).hasText(new String[] {"All queues", "support", "sales"});
        Assertions.assertThat(pageErrors).isEmpty();
    }
}
