package dev.parley.server.http.desk;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.parley.server.auth.MutableClock;
import dev.parley.server.config.DeskConfig;
import dev.parley.server.desk.BusinessHours;
import dev.parley.server.desk.ConversationLabel;
import dev.parley.server.desk.QueueSettings;
import dev.parley.server.testing.Frames;
import dev.parley.server.testing.WsClient;
import dev.parley.server.widget.SystemChromium;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The desk page's "Messages" list (desk-offline.js) in a real Chromium against a real node whose
 * support queue keeps office hours: a user asks for a human on a Saturday and leaves a message;
 * Sarah opens the desk, reads it, and marks it handled (issue 14).
 */
class DeskOfflineBrowserTest {
    private static final Path SHOTS = Paths.get("target", "screenshots");
    private static final BusinessHours OFFICE = new BusinessHours(ZoneId.of("Europe/London"),
            BusinessHours.weekly(Map.of("mon-fri", List.of("09:00-17:30"))), Set.of(), null);

    private static Playwright playwright;
    private static Browser browser;

    @TempDir
    Path dir;

    private final List<Object> pageErrors = new CopyOnWriteArrayList<>();
    private DeskTestNode node;
    private BrowserContext tab;
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

    @AfterEach
    void stop() {
        if (tab != null) {
            tab.close();
        }
        if (user != null) {
            user.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aMessageLeftOutOfHoursIsListedOnTheDeskUntilAnAgentMarksItHandled() {
        DeskConfig desk = new DeskConfig(true, List.of(QueueSettings.auto("support", Duration.ofMinutes(10)).withHours(OFFICE)),
                Duration.ofSeconds(60), Duration.ofMinutes(5), null, null);
        node = new DeskTestNode(dir.resolve("data"), desk, null, List.of(), MutableClock.at("2026-03-07T12:00:00Z")); // a Saturday
        user = node.newSession();
        user.replay();
        user.join();
        Frames.readUntilAgentReply(user);
        user.say("I need a human");
        Frames.readUntil(user, f -> Frames.type(f).equals("EVENT_TYPE_SYSTEM_MESSAGE")); // the team is back Monday
        user.say("Please call me back on 0123 456");
        user.next("EVENT_TYPE_USER_MESSAGE");

        tab = browser.newContext(new Browser.NewContextOptions().setViewportSize(1200, 800));
        Page sarah = tab.newPage();
        sarah.onPageError(pageErrors::add);
        sarah.navigate(node.baseUrl() + "/desk");
        sarah.getByLabel("Name").fill("Sarah");
        sarah.getByLabel("Password").fill(DeskTestNode.PASSWORD);
        sarah.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
        assertThat(sarah.locator("#conn")).hasText("Connected");

        Locator messages = sarah.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Messages (1)"));
        assertThat(messages).isVisible();
        String label = ConversationLabel.of(user.sessionId());
        assertThat(messages).containsText(label);
        assertThat(messages).containsText("support");
        assertThat(messages).containsText("Please call me back on 0123 456");
        assertThat(messages).not().containsText("I need a human"); // only what was left after the notice
        sarah.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("desk-offline.png")));

        sarah.waitForResponse(r -> r.url().endsWith("/handled") && r.status() == 204, () -> messages
                .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Mark the message of " + label + " handled"))
                .click());

        assertThat(sarah.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Messages (0)"))).isVisible();
        assertThat(sarah.locator("#offline")).containsText("No messages left out of hours.");
        String token = node.desk().token("Sarah", DeskTestNode.PASSWORD);
        assertThat(DeskHttp.json(node.desk().call("GET", "/desk/api/offline", token, null)).path("offline")).isEmpty();
        assertThat(pageErrors).isEmpty();
    }
}
