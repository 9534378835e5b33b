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
import dev.parley.server.auth.ContextKeySealer;
import dev.parley.server.auth.JwtSecret;
import dev.parley.server.desk.DeskAgent;
import dev.parley.server.desk.Passwords;
import dev.parley.server.http.desk.DeskTestNode;
import dev.parley.server.store.ContextKey;
import dev.parley.server.store.NodeStore;
import dev.parley.server.testing.ContextTokens;
import dev.parley.server.testing.Frames;
import dev.parley.server.testing.Rest;
import dev.parley.server.testing.TestStores;
import dev.parley.server.testing.WsClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.Instant;
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
 * Canned replies in the desk page (desk-canned.js) in a real Chromium against a real node: the supervisor Maria
 * writes replies on her page, Sarah inserts one with "/" in a conversation whose user sent a verified context,
 * reviews it and sends it. Set-up as {@link DeskPageBrowserTest}; the context as DeskVerifiedContextTest.
 */
class DeskCannedBrowserTest {
    private static final Path SHOTS = Paths.get("target", "screenshots");
    private static final String KEY_SECRET = "Zm9yLXRlc3RzLW9ubHktYS1jb250ZXh0LWtleS0wMTIzNA";
    private static final String FILLED = "Hi Ada Lovelace, refunds take 5 days. Sarah, support team";

    private static final Locator.GetByLabelOptions EXACT = new Locator.GetByLabelOptions().setExact(true);

    private static Playwright playwright;
    private static Browser browser;

    @TempDir
    Path dir;

    private final List<Object> pageErrors = new CopyOnWriteArrayList<>();
    private DeskTestNode node;
    private BrowserContext mariaTab;
    private BrowserContext sarahTab;
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
        try (NodeStore store = TestStores.open(dir)) { // a second process, as the admin CLI is
            store.createAgent(new DeskAgent("agt_maria", ParleyServer.DEMO_CONNECTOR_ID, "Maria", null, List.of("support"), 3,
                    DeskAgent.Role.SUPERVISOR), new Passwords(4, new SecureRandom()).hash(DeskTestNode.PASSWORD.toCharArray()));
            String sealed = ContextKeySealer.fromServerSecret(JwtSecret.loadOrCreate(dir), new SecureRandom())
                    .seal(ParleyServer.DEMO_CONNECTOR_ID, "site-1", KEY_SECRET.getBytes(StandardCharsets.US_ASCII));
            store.addContextKey(new ContextKey(ParleyServer.DEMO_CONNECTOR_ID, "site-1", sealed, Instant.now()));
        }
        mariaTab = browser.newContext(new Browser.NewContextOptions().setViewportSize(1200, 800));
        sarahTab = browser.newContext(new Browser.NewContextOptions().setViewportSize(1200, 800));
    }

    @AfterEach
    void stop() {
        for (BrowserContext tab : new BrowserContext[] {mariaTab, sarahTab}) {
            if (tab != null) {
                tab.close();
            }
        }
        if (user != null) {
            user.close();
        }
        node.close();
    }

    @Test
    void aSupervisorWritesARepliesAndAnAgentInsertsOneFilledWithTheKeyboardThenSendsIt() {
        // Maria, supervisor, writes two replies on her page; then goes Away so support's AUTO queue picks Sarah.
        Page maria = open(mariaTab, "Maria");
        Locator presence = maria.getByRole(AriaRole.SWITCH, new Page.GetByRoleOptions().setName("Available"));
        maria.waitForResponse(r -> r.url().endsWith("/desk/api/presence") && r.status() == 204, () -> presence.press("Space"));
        maria.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Canned replies")).click();
        assertThat(maria.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Canned replies"))).isFocused();
        addReply(maria, "support", "refund", "Refund policy", "Hi {{customer.name}}, refunds take 5 days. {{agent.name}}, {{queue}} team");
        addReply(maria, "Every queue", "referral", "Referral", "Invite a friend on your {{customer.plan}} plan.");
        Locator support = maria.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Queue support"));
        assertThat(support.getByRole(AriaRole.LISTITEM)).hasCount(1);
        assertThat(support).containsText("/refund");
        assertThat(maria.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Every queue"))).containsText("/referral");
        maria.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("desk-canned-manage.png")));

        // Sarah, a plain agent, has no such page; the user proves their name, asks for a human and gets Sarah.
        Page sarah = open(sarahTab, "Sarah");
        assertThat(sarah.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Canned replies"))).hasCount(0);
        user = node.newSession();
        String contextId = user.replay().get(0).path("payload").path("context_id").asText();
        user.join();
        Frames.readUntilAgentReply(user);
        Assertions.assertThat(ContextTokens.submit(new Rest(node.baseUrl()), user, ContextTokens.sign("site-1", KEY_SECRET,
                contextId, Map.of("name", "Ada Lovelace"))).statusCode()).isEqualTo(200);
        user.say("I need a human");
        Frames.readUntil(user, f -> Frames.type(f).equals("EVENT_TYPE_LIVE_AGENT_JOINED"));

        // "/ref" lists both (the all-queue one too); Down, Enter picks "refund": filled, not sent.
        Locator composer = sarah.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Message"));
        composer.click(); // assigned by the AUTO queue: the tab opened without taking the focus
        composer.pressSequentially("/ref");
        Locator list = sarah.getByRole(AriaRole.LISTBOX, new Page.GetByRoleOptions().setName("Canned replies"));
        Locator options = list.getByRole(AriaRole.OPTION);
        assertThat(options).hasCount(2);
        assertThat(composer).hasAttribute("aria-expanded", "true");
        assertThat(options.first()).hasAttribute("aria-selected", "true");
        assertThat(options.first()).containsText("/referral");
        composer.press("ArrowDown");
        assertThat(options.nth(1)).hasAttribute("aria-selected", "true");
        assertThat(composer).hasAttribute("aria-activedescendant", options.nth(1).getAttribute("id"));
        sarah.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("desk-canned-popup.png")));
        composer.press("Enter");
        assertThat(list).isHidden();
        assertThat(composer).hasAttribute("aria-expanded", "false");
        assertThat(composer).hasValue(FILLED);
        Assertions.assertThat(caret(sarah)).isEqualTo(List.of(FILLED.length(), FILLED.length()));
        sarah.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("desk-canned-filled.png")));

        // Reviewed: Enter sends it, and it is the first thing the user gets from Sarah.
        composer.press("Enter");
        Assertions.assertThat(liveMessage().path("payload").path("text").asText()).isEqualTo(FILLED);
        assertThat(composer).hasValue("");

        // Escape closes the list and keeps "/ref"; nothing is sent (the next message the user gets is "thanks").
        composer.pressSequentially("/ref");
        assertThat(list).isVisible();
        composer.press("Escape");
        assertThat(list).isHidden();
        assertThat(composer).hasValue("/ref");
        assertThat(composer).hasAttribute("aria-expanded", "false");
        composer.fill("");
        composer.pressSequentially("thanks");
        composer.press("Enter");
        Assertions.assertThat(liveMessage().path("payload").path("text").asText()).isEqualTo("thanks");

        // A placeholder without a value stays visible and selected, and the agent is told.
        composer.pressSequentially("/referral");
        assertThat(options).hasCount(1);
        composer.press("Tab");
        String text = "Invite a friend on your [customer.plan] plan.";
        assertThat(composer).hasValue(text);
        int at = text.indexOf("[customer.plan]");
        Assertions.assertThat(caret(sarah)).isEqualTo(List.of(at, at + "[customer.plan]".length()));
        assertThat(sarah.locator(".canned-note")).hasText("No value for [customer.plan]: replace it before sending.");
        sarah.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("desk-canned-missing.png")));

        Assertions.assertThat(pageErrors).isEmpty();
    }

    @Test
    void aSupervisorEditsAndDeletesAReply() {
        Page maria = open(mariaTab, "Maria");
        maria.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Canned replies")).click();
        addReply(maria, "support", "refund", "Refund policy", "Old text");

        maria.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Edit /refund")).click();
        assertThat(maria.locator("#canned-form").getByLabel("Shortcut", EXACT)).hasValue("refund");
        maria.locator("#canned-form").getByLabel("Text", EXACT).fill("New text");
        maria.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save")).click();
        assertThat(maria.locator("#canned-status")).hasText("Saved /refund.");
        assertThat(maria.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Queue support"))).containsText("New text");

        // A taken shortcut is refused with the server's reason, the form kept.
        maria.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add a reply")).click();
        fillForm(maria, "support", "refund", "Again", "x");
        assertThat(maria.locator("#canned-error")).containsText("shortcut refund is taken");

        maria.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Cancel")).click();
        maria.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete /refund")).click();
        assertThat(maria.locator("#canned-status")).hasText("Deleted /refund.");
        assertThat(maria.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Queue support"))).hasText("No replies.");
        Assertions.assertThat(pageErrors).isEmpty();
    }

    private Page open(BrowserContext tab, String name) {
        Page page = tab.newPage();
        page.setDefaultTimeout(10_000);
        page.onPageError(error -> pageErrors.add(error));
        page.navigate(node.baseUrl() + "/desk");
        page.getByLabel("Name").fill(name);
        page.getByLabel("Password").fill(DeskTestNode.PASSWORD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
        assertThat(page.locator("#conn")).hasText("Connected");
        return page;
    }

    private static void addReply(Page page, String queue, String shortcut, String title, String text) {
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add a reply")).click();
        fillForm(page, queue, shortcut, title, text);
        assertThat(page.locator("#canned-status")).hasText("Added /" + shortcut + ".");
    }

    private static void fillForm(Page page, String queue, String shortcut, String title, String text) {
        Locator form = page.locator("#canned-form");
        form.getByLabel("Queue", EXACT).selectOption(queue);
        form.getByLabel("Shortcut", EXACT).fill(shortcut);
        form.getByLabel("Title", EXACT).fill(title);
        form.getByLabel("Text", EXACT).fill(text);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save")).click();
    }

    @SuppressWarnings("unchecked")
    private static List<Integer> caret(Page page) {
        return (List<Integer>) page.evaluate("() => { const t = document.activeElement; return [t.selectionStart, t.selectionEnd]; }");
    }

    private JsonNode liveMessage() {
        return user.nextOfType("EVENT_TYPE_LIVE_AGENT_MESSAGE");
    }
}
