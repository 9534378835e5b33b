package dev.parley.server.widget;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.parley.server.http.desk.DeskTestNode;
import dev.parley.server.http.desk.HistorySeed;
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
 * The desk page's History view in a real Chromium against a real node whose store holds ended
 * conversations ({@link HistorySeed}): searched and opened read-only with the keyboard only.
 */
class DeskHistoryBrowserTest {
    private static final Path SHOTS = Paths.get("target", "screenshots");

    private static Playwright playwright;
    private static Browser browser;

    @TempDir
    Path dir;

    private final List<Object> pageErrors = new CopyOnWriteArrayList<>();
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
        HistorySeed.seed(node);
        page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1200, 800));
        page.setDefaultTimeout(10_000);
        page.onPageError(error -> pageErrors.add(error));
    }

    @AfterEach
    void stop() {
        if (page != null) {
            page.close();
        }
        node.close();
    }

    @Test
    void agentSearchesTheHistoryAndOpensAConversationReadOnlyWithTheKeyboard() {
        page.navigate(node.baseUrl() + "/desk");
        page.getByLabel("Name").fill("Sarah");
        page.getByLabel("Password").fill(DeskTestNode.PASSWORD);
        page.getByLabel("Password").press("Enter");
        assertThat(page.locator("#agent-name")).hasText("Signed in as Sarah");

        Locator toggle = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("History"));
        toggle.focus();
        page.keyboard().press("Enter");
        assertThat(toggle).hasAttribute("aria-pressed", "true");
        Locator search = page.getByRole(AriaRole.SEARCHBOX, new Page.GetByRoleOptions().setName("Search"));
        assertThat(search).isFocused();
        search.pressSequentially("parcel");
        search.press("Enter");

        Locator results = page.locator("#history-results .hresult");
        assertThat(results).hasCount(2); // h-billing is a queue Sarah does not serve
        assertThat(page.locator("#history-status")).hasText("2 conversations");
        assertThat(results.nth(1).locator("mark")).hasText("parcel");
        assertThat(results.nth(1).locator(".hmeta")).containsText("support · Sarah");

        // Queue filter, then back to all queues.
        page.getByLabel("Queue").selectOption("sales");
        search.press("Enter");
        assertThat(results).hasCount(1);
        assertThat(results.first().locator(".hmeta")).containsText("sales · Tom");
        page.getByLabel("Queue").selectOption("");
        search.press("Enter");
        assertThat(results).hasCount(2);
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("desk-history-results.png")));

        // Arrow keys move between results; Enter opens one.
        results.first().focus();
        page.keyboard().press("ArrowDown");
        assertThat(results.nth(1)).isFocused();
        page.keyboard().press("Enter");
        Locator view = page.locator("#history-view");
        assertThat(view).isVisible();
        assertThat(page.locator("#history-view-title")).isFocused();
        assertThat(view.locator(".msg.user .text")).hasText("Where is my parcel? It never arrived");
        assertThat(view.locator(".msg.live .text")).hasText("The courier lost your parcel, a refund is on its way");
        assertThat(view.locator("textarea, input")).hasCount(0); // read-only: nothing to type into
        assertThat(page.locator("#history-notes")).isHidden(); // no notes yet
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("desk-history-transcript.png")));

        // Escape goes back to the results, focus on the one that was opened.
        page.keyboard().press("Escape");
        assertThat(view).isHidden();
        assertThat(results.nth(1)).isFocused();

        toggle.click();
        assertThat(page.locator("#desk-cols")).isVisible();
        Assertions.assertThat(pageErrors).isEmpty();
    }
}
