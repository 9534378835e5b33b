package dev.parley.server.widget;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.BoundingBox;
import dev.parley.server.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The widget's input and layout in real Chromium against a real node with the demo flow:
 * multi-line messages, "End chat" behind a confirmation, and the phone-sized layout.
 */
class WidgetInputBrowserTest {
    private static final Path SHOTS = Paths.get("target", "screenshots");
    private static final String INPUT = ".plw-form textarea";

    @TempDir
    static Path dir;
    static TestServer server;
    static Playwright playwright;
    static Browser browser;

    BrowserContext context;
    Page page;

    @BeforeAll
    static void startAll() throws IOException {
        Files.createDirectories(SHOTS);
        server = TestServer.start(dir);
        playwright = SystemChromium.playwright();
        browser = SystemChromium.launch(playwright);
    }

    @AfterAll
    static void stopAll() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void closePage() {
        context.close();
    }

    private void openWidget(Browser.NewContextOptions options) {
        context = browser.newContext(options);
        context.setDefaultTimeout(10_000);
        page = context.newPage();
        page.navigate(server.baseUrl() + "/");
        page.click("button.plw-launch");
        page.locator(".plw-agent[data-complete=true]").first().waitFor();
    }

    @Test
    void shiftEnterStartsANewLineAndEnterSendsBothLinesAsOneMessage() {
        openWidget(new Browser.NewContextOptions());
        page.locator(INPUT).pressSequentially("Opening hours");
        page.keyboard().press("Shift+Enter");
        page.keyboard().type("on Sunday?");
        assertThat(page.inputValue(INPUT)).isEqualTo("Opening hours\non Sunday?");
        assertThat(page.locator(".plw-user").count()).isZero();

        page.keyboard().press("Enter");
        page.waitForSelector(".plw-user[data-status=sent]");
        assertThat(page.locator(".plw-user .plw-txt").allTextContents()).containsExactly("Opening hours\non Sunday?");
        assertThat(page.inputValue(INPUT)).isEmpty();
        page.waitForSelector(".plw-agent[data-complete=true]:has-text('Tuesday to Sunday')");
    }

    @Test
    void endChatAsksFirstAndKeepChattingLeavesTheConversationAsItWas() {
        openWidget(new Browser.NewContextOptions());
        page.click(".plw-hbtn:has-text('End chat')");
        page.waitForSelector(".plw-confirm:has-text('End this chat?')");
        assertThat(page.evaluate("() => document.activeElement.dataset.confirm")).isEqualTo("keep");

        page.click(".plw-confirm button[data-confirm=keep]");
        assertThat(page.isHidden(".plw-confirm")).isTrue();
        assertThat(page.isEnabled(INPUT)).isTrue();
        assertThat(page.locator(".plw-note").count()).isZero();

        page.click(".plw-hbtn:has-text('End chat')");
        page.click(".plw-confirm button[data-confirm=end]");
        page.waitForSelector(".plw-note:has-text('You ended the chat.')");
        assertThat(page.isDisabled(INPUT)).isTrue();
        assertThat(page.isHidden(".plw-confirm")).isTrue();
    }

    @Test
    void onAPhoneThePanelFillsTheScreenAndTheInputTextIsSixteenPixels() {
        openWidget(new Browser.NewContextOptions().setViewportSize(375, 667).setIsMobile(true).setHasTouch(true));
        BoundingBox panel = page.locator(".plw-panel").boundingBox();
        assertThat(panel.x).isZero();
        assertThat(panel.y).isZero();
        assertThat(panel.width).isEqualTo(375);
        assertThat(panel.height).isEqualTo(667);
        assertThat(page.evaluate("() => getComputedStyle(document.querySelector('.plw-form textarea')).fontSize"))
                .isEqualTo("16px");
        assertThat(page.isVisible("button.plw-launch")).isFalse(); // it would cover the send button
        BoundingBox input = page.locator(INPUT).boundingBox();
        assertThat(input.y + input.height).isLessThanOrEqualTo(667);
        shot("mobile");

        page.click(".plw-head button[aria-label='Close chat']");
        page.waitForSelector("button.plw-launch");
        assertThat(page.evaluate("() => document.activeElement.classList.contains('plw-launch')")).isEqualTo(true);
    }

    private void shot(String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + ".png")));
    }
}
