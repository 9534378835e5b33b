package dev.parley.server.widget;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.parley.server.http.desk.DeskTestNode;
import dev.parley.server.testing.Frames;
import dev.parley.server.testing.WsClient;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Desk notices (desk-notify.js) in a real Chromium against a real desk ({@link DeskTestNode}: Sarah serves the AUTO
 * queue {@code support}, three conversations at once). The page's {@code Notification} is wrapped, before any page
 * script runs, so that every notification shown is also recorded; oscillator starts are counted the same way; and the
 * page's visibility can be switched to hidden (a {@code visibilitychange} with {@code document.visibilityState}
 * answering {@code hidden}), which is what a background tab looks like to the page. Headless Chromium never prompts:
 * it denies notifications to pages not granted them; where a test needs the prompt, the page sees the permission as
 * {@code default} until it asks, and the test's grant stands for the agent's "Allow".
 */
class DeskNoticeBrowserTest {
    private static final Path SHOTS = Paths.get("target", "screenshots");
    private static final String ASK_FOR_HUMAN = "I need a human";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String RECORDER = """
            (() => {
              window.__notes = []; window.__noteObjects = []; window.__asked = 0; window.__tones = 0;
              const Real = window.Notification;
              if (Real) {
                class Recorded extends Real {
                  // window.__prompt: the page sees "default" until it asks, as where the browser would prompt
                  static get permission() { return window.__prompt && !sessionStorage.getItem('__answered') ? 'default' : Real.permission; }
                  constructor(title, options) {
                    super(title, options);
                    const o = options || {};
                    window.__notes.push({ title, body: o.body, tag: o.tag });
                    window.__noteObjects.push(this);
                  }
                }
                Recorded.requestPermission = (...args) => {
                  window.__asked++;
                  return Real.requestPermission(...args).then(p => { sessionStorage.setItem('__answered', p); return p; });
                };
                window.Notification = Recorded;
              }
              const start = OscillatorNode.prototype.start;
              OscillatorNode.prototype.start = function (...args) { window.__tones++; return start.apply(this, args); };
              let hidden = false;
              Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
              Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
              window.__setHidden = h => { hidden = h; document.dispatchEvent(new Event('visibilitychange')); };
            })();
            """;

    private static Playwright playwright;
    private static Browser browser;

    @TempDir
    Path dir;

    private final List<Object> pageErrors = new CopyOnWriteArrayList<>();
    private final List<WsClient> users = new ArrayList<>();
    private DeskTestNode node;
    private BrowserContext context;
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
    }

    @AfterEach
    void stop() {
        if (context != null) {
            context.close();
        }
        users.forEach(WsClient::close);
        node.close();
    }

    @Test
    void assignmentsWaitingConversationsAndUnseenCustomerMessagesNotifyAndCountInTheTitle() {
        openDesk(List.of("notifications"), false);
        logIn();
        // Permission already granted to this origin: notifications are on without a question asked.
        assertThat(notifications()).hasAttribute("aria-pressed", "true");
        assertThat(notifications().locator(".nstate")).hasText("on");
        Assertions.assertThat(number("window.__asked")).isZero();

        // Sound is off until the agent turns it on; the click plays a sample chime (two tones).
        assertThat(sound()).hasAttribute("aria-pressed", "false");
        sound().click();
        assertThat(sound()).hasAttribute("aria-pressed", "true");
        assertThat(page.locator("#notices-status")).hasText("Sound on");
        await().atMost(WAIT).until(() -> number("window.__tones") == 2);

        // Sarah is available and support is AUTO: three users are assigned to her, each one a notice (and a chime).
        WsClient a = assignedUser();
        await().atMost(WAIT).until(() -> notes().size() == 1);
        Assertions.assertThat(notes().get(0)).containsEntry("title", "Conversation assigned to you")
                .containsEntry("tag", "parley-" + a.sessionId());
        await().atMost(WAIT).until(() -> number("window.__tones") == 4);
        WsClient b = assignedUser();
        WsClient c = assignedUser();
        await().atMost(WAIT).until(() -> notes().size() == 3);
        Assertions.assertThat(notes()).extracting(n -> n.get("tag")).containsExactly(
                "parley-" + a.sessionId(), "parley-" + b.sessionId(), "parley-" + c.sessionId());
        assertThat(tab(a)).hasAttribute("aria-selected", "true");
        // Their histories (batches) hold user messages, none of them news.
        assertThat(panel(c).locator(".msg.user .text")).hasText(new String[] {ASK_FOR_HUMAN});
        assertThat(page).hasTitle("Parley desk");

        // A customer writes in b while a is selected: a notice with the text, and the title counts it.
        b.say("Is anybody there?");
        await().atMost(WAIT).until(() -> notes().size() == 4);
        Assertions.assertThat(notes().get(3)).containsEntry("tag", "parley-" + b.sessionId())
                .containsEntry("body", "Is anybody there?")
                .containsEntry("title", "New message: " + dev.parley.server.desk.ConversationLabel.of(b.sessionId()));
        assertThat(page).hasTitle("(1) Parley desk");

        // A customer writing in the conversation Sarah is looking at is no news.
        a.say("hello from a");
        assertThat(panel(a).locator(".msg.user .text").last()).hasText("hello from a");
        Assertions.assertThat(notes()).hasSize(4);
        assertThat(page).hasTitle("(1) Parley desk");

        // Clicking b's notice selects b: seen, so the title is plain again.
        page.evaluate("tag => window.__noteObjects.filter(n => n.tag === tag).pop().dispatchEvent(new Event('click'))",
                "parley-" + b.sessionId());
        assertThat(tab(b)).hasAttribute("aria-selected", "true");
        assertThat(tab(b)).isFocused();
        assertThat(page).hasTitle("Parley desk");

        // The desk tab goes to the background. Sarah is full (3), so a fourth user waits: one notice, counted.
        page.evaluate("window.__setHidden(true)");
        WsClient d = handOff();
        Frames.readUntil(d, f -> Frames.type(f).equals("EVENT_TYPE_HANDOFF_QUEUE_STATUS"));
        await().atMost(WAIT).until(() -> notes().size() == 5);
        Assertions.assertThat(notes().get(4)).containsEntry("title", "New conversation waiting")
                .containsEntry("body", dev.parley.server.desk.ConversationLabel.of(d.sessionId()) + " in support")
                .containsEntry("tag", "parley-" + d.sessionId());
        assertThat(page).hasTitle("(1) Parley desk");
        assertThat(page.locator("#notices-status")).hasText("A conversation started waiting in support");

        // b is selected but the tab is hidden: a long message is news, shown as its first 80 characters only.
        String longText = "0123456789".repeat(12);
        b.say(longText);
        await().atMost(WAIT).until(() -> notes().size() == 6);
        Assertions.assertThat(notes().get(5)).containsEntry("body", longText.substring(0, 80) + "…")
                .containsEntry("tag", "parley-" + b.sessionId());
        assertThat(page).hasTitle("(2) Parley desk");

        // Back to the tab: the selected conversation and the waiting list are seen.
        page.evaluate("window.__setHidden(false)");
        assertThat(page).hasTitle("Parley desk");
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("desk-notices.png")));

        // A reload replays everything (assignments, snapshot, history batches): nothing of it is a notice.
        page.reload();
        assertThat(page.locator("#conn")).hasText("Connected");
        assertThat(page.getByRole(AriaRole.TAB)).hasCount(3);
        assertThat(panel(b).locator(".msg.user .text").last()).hasText(longText);
        assertThat(page.locator("#queues li")).hasCount(1);
        Assertions.assertThat(notes()).isEmpty();
        assertThat(page).hasTitle("Parley desk");

        // An unseen message counts until the agent logs out, which restores the plain title.
        c.say("still here");
        await().atMost(WAIT).until(() -> notes().size() == 1);
        assertThat(page).hasTitle("(1) Parley desk");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log out")).click();
        assertThat(page).hasTitle("Parley desk");
        Assertions.assertThat(pageErrors).isEmpty();
    }

    @Test
    void blockedNotificationsAreShownAsBlockedAndNeverAskedFor() {
        openDesk(List.of(), false); // this headless Chromium denies notifications to pages not granted them
        logIn();
        assertThat(notifications().locator(".nstate")).hasText("blocked");
        assertThat(notifications()).hasAttribute("aria-disabled", "true");
        assertThat(notifications()).hasAttribute("aria-pressed", "false");
        notifications().press("Enter"); // aria-disabled keeps it focusable, so it can say why
        assertThat(page.locator("#alert-text")).hasText(
                "Notifications are blocked for this page: allow them in the browser's site settings.");
        Assertions.assertThat(number("window.__asked")).isZero();
        Assertions.assertThat(pageErrors).isEmpty();
    }

    @Test
    void permissionIsAskedOnlyOnClickAwayQuietsWaitingNoticesAndTheChoicesAreRemembered() {
        openDesk(List.of(), true);
        logIn();
        // Nothing asked on load: the button offers to ask.
        assertThat(notifications()).hasAttribute("aria-pressed", "false");
        assertThat(notifications().locator(".nstate")).hasText("off");
        assertThat(notifications()).hasAttribute("title", "Ask the browser to show desk notifications");
        Assertions.assertThat(number("window.__asked")).isZero();

        // The click asks; the agent allows (the grant stands for their answer to the browser's prompt).
        context.grantPermissions(List.of("notifications"), new BrowserContext.GrantPermissionsOptions()
                .setOrigin(node.baseUrl()));
        notifications().click();
        assertThat(page.locator("#notices-status")).hasText("Notifications on");
        assertThat(notifications()).hasAttribute("aria-pressed", "true");
        assertThat(notifications().locator(".nstate")).hasText("on");
        Assertions.assertThat(number("window.__asked")).isEqualTo(1);

        // The sound turned on survives a reload, as do the notifications.
        sound().click();
        assertThat(sound()).hasAttribute("aria-pressed", "true");
        page.reload();
        assertThat(page.locator("#conn")).hasText("Connected");
        assertThat(notifications()).hasAttribute("aria-pressed", "true");
        assertThat(notifications().locator(".nstate")).hasText("on");
        assertThat(notifications()).not().hasAttribute("aria-disabled", "true");
        assertThat(sound()).hasAttribute("aria-pressed", "true");
        assertThat(sound().locator(".nstate")).hasText("on");
        Assertions.assertThat(number("window.__asked")).isZero();
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("desk-notices-header.png"))
                .setClip(0, 0, 1200, 60));

        // Away: a conversation starting to wait gives no notice and no chime, but the background tab's title counts it.
        Locator presence = page.getByRole(AriaRole.SWITCH, new Page.GetByRoleOptions().setName("Available"));
        page.waitForResponse(r -> r.url().endsWith("/desk/api/presence") && r.status() == 204, () -> presence.press("Space"));
        assertThat(presence).not().isChecked();
        page.evaluate("window.__setHidden(true)");
        WsClient user = handOff();
        Frames.readUntil(user, f -> Frames.type(f).equals("EVENT_TYPE_HANDOFF_QUEUE_STATUS"));
        assertThat(page.locator("#queues li")).hasCount(1);
        assertThat(page).hasTitle("(1) Parley desk");
        Assertions.assertThat(notes()).isEmpty();
        Assertions.assertThat(number("window.__tones")).isZero();
        page.evaluate("window.__setHidden(false)");
        assertThat(page).hasTitle("Parley desk");

        // Muting notifications in the desk (permission kept) is remembered too.
        notifications().click();
        assertThat(notifications()).hasAttribute("aria-pressed", "false");
        assertThat(page.locator("#notices-status")).hasText("Notifications off");
        page.reload();
        assertThat(page.locator("#conn")).hasText("Connected");
        assertThat(notifications()).hasAttribute("aria-pressed", "false");
        assertThat(notifications().locator(".nstate")).hasText("off");
        Assertions.assertThat(pageErrors).isEmpty();
    }

    /** {@code prompt}: the page sees the permission as "default" until it asks (see RECORDER). */
    private void openDesk(List<String> permissions, boolean prompt) {
        context = browser.newContext(new Browser.NewContextOptions()
                .setViewportSize(1200, 800).setPermissions(permissions));
        if (prompt) {
            context.addInitScript("window.__prompt = true;");
        }
        context.addInitScript(RECORDER);
        page = context.newPage();
        page.setDefaultTimeout(10_000);
        page.onPageError(error -> pageErrors.add(error));
        page.navigate(node.baseUrl() + "/desk");
    }

    private void logIn() {
        page.getByLabel("Name").fill("Sarah");
        page.getByLabel("Password").fill(DeskTestNode.PASSWORD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
        assertThat(page.locator("#conn")).hasText("Connected");
    }

    private Locator notifications() {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Notifications").setExact(true));
    }

    private Locator sound() {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sound").setExact(true));
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

    private WsClient assignedUser() {
        WsClient user = handOff();
        Frames.readUntil(user, f -> Frames.type(f).equals("EVENT_TYPE_LIVE_AGENT_JOINED"));
        return user;
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> notes() {
        return (List<Map<String, Object>>) page.evaluate("window.__notes.map(n => ({ title: n.title, body: n.body, tag: n.tag }))");
    }

    private int number(String expression) {
        return ((Number) page.evaluate(expression)).intValue();
    }

    private Locator tab(WsClient user) {
        return page.locator("[role=tab][title='" + user.sessionId() + "']");
    }

    private Locator panel(WsClient user) {
        return page.locator("#" + tab(user).getAttribute("aria-controls"));
    }

}
