package dev.parley.server.http.desk;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.parley.server.widget.SystemChromium;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Internal notes in real Chromium against a real node: the customer on the widget page, Sarah and
 * then Tom on desk pages (desk.html + desk.js + desk-notes.js). Sarah writes a note, transfers the
 * conversation, Tom takes it and reads her note, writes his own and leaves; Sarah opens the ended
 * conversation from the history with both notes. The customer's page shows none of it, also after
 * a reload replays the conversation from the server.
 */
class DeskNotesBrowserTest {
    private static final Path SHOTS = Paths.get("target", "screenshots");
    private static final String SARAHS_NOTE = "Refund approved by Dana — do not promise a voucher (note-4410)";
    private static final String TOMS_NOTE = "Booked table 12 for Friday (note-4411)";
    private static final String WIDGET_INPUT = ".plw-form textarea";

    static Playwright playwright;
    static Browser browser;

    @TempDir
    Path dir;
    DeskTestNode node;
    final List<BrowserContext> contexts = new java.util.ArrayList<>();
    final List<Object> pageErrors = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startBrowser() throws IOException {
        Files.createDirectories(SHOTS);
        playwright = SystemChromium.playwright();
        browser = SystemChromium.launch(playwright);
        PlaywrightAssertions.setDefaultAssertionTimeout(10_000);
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
    void startNode() {
        node = new DeskTestNode(dir); // support AUTO, sales MANUAL; Sarah serves both, Tom sales
    }

    @AfterEach
    void stop() {
        contexts.forEach(BrowserContext::close);
        node.close();
    }

    private Page newPage() {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1200, 800));
        context.setDefaultTimeout(10_000);
        contexts.add(context);
        Page page = context.newPage();
        page.onPageError(pageErrors::add);
        return page;
    }

    private Page deskOf(String name) {
        Page desk = newPage();
        desk.navigate(node.baseUrl() + "/desk");
        desk.getByLabel("Name").fill(name);
        desk.getByLabel("Password").fill(DeskTestNode.PASSWORD);
        desk.getByLabel("Password").press("Enter");
        assertThat(desk.locator("#conn")).hasText("Connected");
        return desk;
    }

    private static Locator notesOf(Page desk) {
        return desk.locator(".panel:not([hidden]) .notes");
    }

    private static void addNote(Page desk, String text) {
        Locator notes = notesOf(desk);
        Locator toggle = notes.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Notes"));
        if ("false".equals(toggle.getAttribute("aria-expanded"))) {
            toggle.click();
        }
        Locator box = notes.getByRole(AriaRole.TEXTBOX, new Locator.GetByRoleOptions().setName("Internal note"));
        box.fill(text);
        notes.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Add note")).click();
        assertThat(box).hasValue("");
    }

    private static void shot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + ".png")));
    }

    @Test
    void notesStayOnTheDeskFromAgentToAgentAndIntoTheHistoryAndNeverReachTheCustomer() {
        Page sarah = deskOf("Sarah");
        Page customer = newPage();
        customer.navigate(node.baseUrl() + "/");
        customer.click("button.plw-launch");
        customer.locator(".plw-agent[data-complete=true]").first().waitFor();
        customer.fill(WIDGET_INPUT, "I want to talk to a person");
        customer.press(WIDGET_INPUT, "Enter");
        customer.waitForSelector(".plw-note:has-text('Sarah has joined the chat')");

        // Sarah writes a note; it is marked internal, listed with her name.
        assertThat(sarah.getByRole(AriaRole.TAB)).hasCount(1);
        addNote(sarah, SARAHS_NOTE);
        Locator sarahsList = notesOf(sarah).locator(".note");
        assertThat(sarahsList).hasCount(1);
        assertThat(sarahsList.locator(".text")).hasText(SARAHS_NOTE);
        assertThat(sarahsList.locator(".who")).containsText("Sarah");
        assertThat(notesOf(sarah).locator(".notes-banner")).hasText("Internal note — the customer never sees this");
        assertThat(notesOf(sarah).locator(".notes-count")).hasText("(1)");
        // And a real message, which the customer does get.
        Locator composer = sarah.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Message"));
        composer.fill("Hello, Sarah here. One moment please.");
        composer.press("Enter");
        customer.waitForSelector(".plw-agent:has-text('One moment please.')");
        notesOf(sarah).locator(".notes-form").scrollIntoViewIfNeeded();
        shot(sarah, "desk-notes-sarah");

        // Transfer to sales; Tom takes it from the waiting list and reads Sarah's note.
        Page tom = deskOf("Tom");
        sarah.getByLabel("Transfer to queue").selectOption("sales");
        sarah.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Transfer")).click();
        customer.waitForSelector(".plw-sub:has-text('You are next in the queue for sales.')");
        Locator take = tom.locator("#queues li button");
        assertThat(take).hasCount(1);
        take.click();
        customer.waitForSelector(".plw-note:has-text('Tom has joined the chat')");
        Locator tomsList = notesOf(tom).locator(".note");
        assertThat(tomsList.locator(".text")).hasText(new String[] {SARAHS_NOTE});
        addNote(tom, TOMS_NOTE);
        assertThat(tomsList.locator(".text")).hasText(new String[] {SARAHS_NOTE, TOMS_NOTE});
        assertThat(tomsList.last().locator(".who")).containsText("Tom");
        notesOf(tom).locator(".notes-form").scrollIntoViewIfNeeded();
        shot(tom, "desk-notes-tom-after-transfer");

        // The customer's page: no note, live or after a reload that replays the conversation.
        assertNoNoteOn(customer);
        customer.reload(); // the widget keeps its session (sessionStorage) and redraws the replayed history
        customer.waitForSelector(".plw-agent:has-text('One moment please.')");
        assertNoNoteOn(customer);
        shot(customer, "desk-notes-customer-widget");

        // Tom ends the conversation (confirmed in the page), and Sarah opens it from the history with both notes.
        tom.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("End").setExact(true)).click();
        tom.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("End conversation")).click();
        customer.waitForSelector(".plw-note:has-text('Tom has left the chat')");
        sarah.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("History")).click();
        Locator search = sarah.getByRole(AriaRole.SEARCHBOX, new Page.GetByRoleOptions().setName("Search"));
        search.press("Enter");
        Locator results = sarah.locator("#history-results .hresult");
        assertThat(results).hasCount(1);
        results.first().click();
        assertThat(sarah.locator("#history-notes")).isVisible();
        assertThat(sarah.locator("#history-notes-list li")).hasText(new String[] {
            "Sarah: " + SARAHS_NOTE, "Tom: " + TOMS_NOTE});
        assertThat(sarah.locator("#history-lines")).not().containsText("note-44");
        sarah.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("desk-notes-history.png")).setFullPage(true));

        assertNoNoteOn(customer);
        Assertions.assertThat(pageErrors).isEmpty();
    }

    private static void assertNoNoteOn(Page customer) {
        String text = (String) customer.evaluate("() => document.documentElement.outerHTML");
        Assertions.assertThat(text).contains("One moment please.").doesNotContain("note-44").doesNotContain("Refund approved");
    }
}
