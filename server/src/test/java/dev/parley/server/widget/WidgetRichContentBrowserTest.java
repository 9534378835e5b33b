package dev.parley.server.widget;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.parley.server.config.DeskConfig;
import dev.parley.server.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What agent messages look like in the widget, in real Chromium against a real node running a
 * scripted flow: the safe Markdown subset, link schemes, call buttons, and who said what when.
 */
class WidgetRichContentBrowserTest {
    private static final Path SHOTS = Paths.get("target", "screenshots");
    private static final String INPUT = ".plw-form textarea";
    private static final String FLOW = """
            agent:
              name: Ada
              avatar_url: https://example.com/avatars/ada.png
            greeting:
              text: Hello, I am Ada.
            intents:
              - name: links
                keywords: [links]
                reply:
                  text: |-
                    See **our menu** at https://example.com/menu, or [book here](https://example.com/book).
                    - *fresh* fish
                    - soup of the day
                    Write to [us](mailto:hi@example.com). [evil](javascript:alert(1)) <b>not bold</b>
              - name: call
                keywords: [call]
                reply:
                  text: You can also call us.
                  chat_call_actions:
                    - title: Call the front desk
                      contact_number: "+44 20 7946 0000"
            fallback:
              text: Sorry?
            """;

    @TempDir
    static Path dir;
    static TestServer server;
    static Playwright playwright;
    static Browser browser;

    BrowserContext context;
    Page page;
    final List<String> dialogs = new ArrayList<>();

    @BeforeAll
    static void startAll() throws IOException {
        Files.createDirectories(SHOTS);
        Path flow = dir.resolve("flow.yaml");
        Files.writeString(flow, FLOW);
        server = TestServer.start(dir.resolve("data"), c -> c.withFlowFile(flow).withDesk(DeskConfig.DISABLED));
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

    @BeforeEach
    void openWidget() {
        context = browser.newContext();
        context.setDefaultTimeout(10_000);
        page = context.newPage();
        page.onDialog(dialog -> {
            dialogs.add(dialog.message());
            dialog.dismiss();
        });
        page.navigate(server.baseUrl() + "/");
        page.click("button.plw-launch");
        page.locator(".plw-agent[data-complete=true]").first().waitFor();
    }

    @AfterEach
    void closePage() {
        context.close();
    }

    @Test
    void agentMarkdownGivesBoldListsAndSafeLinksButAJavascriptLinkStaysText() {
        ask("links please");
        Locator reply = page.locator(".plw-agent[data-complete=true]:has-text('soup of the day')");
        reply.waitFor();

        assertThat(reply.locator("strong").allTextContents()).containsExactly("our menu");
        assertThat(reply.locator("ul > li").allTextContents()).containsExactly("fresh fish", "soup of the day");
        assertThat(reply.locator("li em").allTextContents()).containsExactly("fresh");
        Locator links = reply.locator("a");
        assertThat(links.count()).isEqualTo(3);
        assertThat(links.nth(0).getAttribute("href")).isEqualTo("https://example.com/menu");
        assertThat(links.nth(0).getAttribute("rel")).contains("noopener");
        assertThat(links.nth(0).getAttribute("target")).isEqualTo("_blank");
        assertThat(links.nth(1).getAttribute("href")).isEqualTo("https://example.com/book");
        assertThat(links.nth(1).textContent()).isEqualTo("book here");
        assertThat(links.nth(2).getAttribute("href")).isEqualTo("mailto:hi@example.com");

        // The javascript: link is its label as text; markup in agent text is text too.
        assertThat(page.locator(".plw-log a[href^='javascript' i]").count()).isZero();
        assertThat(reply.locator(".plw-txt").textContent()).contains("evil <b>not bold</b>");
        assertThat(page.locator(".plw-log b").count()).isZero();
        assertThat(page.locator(".plw-log a:has-text('evil')").count()).isZero();
        assertThat(dialogs).isEmpty();
        shot("markdown-links");
    }

    @Test
    void chatCallActionsBecomeTelButtons() {
        ask("can I call you?");
        Locator call = page.locator(".plw-agent[data-complete=true] a.plw-call");
        call.waitFor();
        assertThat(call.getAttribute("href")).isEqualTo("tel:+442079460000");
        assertThat(call.textContent()).contains("Call the front desk");
        shot("call-button");
    }

    @Test
    void agentBubblesNameTheAiWithAvatarAndEveryMessageHasATimeAndUserMessagesADeliveryState() {
        Locator greeting = page.locator(".plw-agent").first();
        assertThat(greeting.getAttribute("class")).contains("plw-ai");
        assertThat(greeting.locator(".plw-by .plw-who-name").textContent()).isEqualTo("Ada");
        assertThat(greeting.locator(".plw-by .plw-tag").textContent()).isEqualTo("AI");
        assertThat(greeting.locator(".plw-av img").getAttribute("src")).isEqualTo("https://example.com/avatars/ada.png");
        assertThat(greeting.locator("time").getAttribute("datetime")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");

        ask("hello");
        Locator mine = page.locator(".plw-user[data-status=sent]");
        mine.waitFor();
        assertThat(mine.locator(".plw-ds").textContent()).isEqualTo("Sent");
        assertThat(mine.locator("time").getAttribute("datetime")).isNotBlank();
        page.locator(".plw-agent[data-complete=true]").nth(1).waitFor();
        // Greeting, question, answer: three runs, so every bubble opens its own group.
        assertThat(page.locator(".plw-log .plw-cont").count()).isZero();
    }

    private void ask(String text) {
        page.fill(INPUT, text);
        page.press(INPUT, "Enter");
    }

    private void shot(String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + ".png")));
    }
}
