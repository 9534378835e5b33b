package dev.parley.server.widget;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.parley.server.http.DeskPage;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The desk page ({@code /desk}: desk.html + desk.js, served by {@link DeskPage}) driven by a real Chromium.
 *
 * <p>The backend here is {@link FakeDesk}, a STAND-IN for the real desk server (REST {@code /desk/api/*} and
 * WebSocket {@code /desk/ws}, docs/desk-api.md) that is being written on branch helper/d2. It implements just
 * enough of the API for the page and records every command the page sends. When the real desk lands, the lead
 * replaces it with a {@code TestServer} plus the real desk (demo agent, a handed-off session) and keeps the steps.
 */
class DeskPageBrowserTest {
    private static final Path SHOTS = Paths.get("target", "screenshots");
    private static final String SESSION = "ses_0001abcd1234";
    private static final String XSS = "<img src=x onerror=\"window.__xss=1\"><script>window.__xss=2</script>";

    private static Playwright playwright;
    private static Browser browser;

    private final List<Object> pageErrors = new CopyOnWriteArrayList<>();
    private FakeDesk fake;
    private Page page;

    @BeforeAll
    static void browser() {
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(Paths.get("/usr/bin/chromium"))
                .setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync")));
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
    void start() throws Exception {
        fake = FakeDesk.start();
        page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1200, 800));
        page.setDefaultTimeout(10_000);
        page.onPageError(error -> pageErrors.add(error));
    }

    @AfterEach
    void stop() throws Exception {
        if (page != null) {
            page.close();
        }
        fake.close();
    }

    @Test
    void agentLogsInTakesAConversationChatsAndLeaves() {
        page.navigate(fake.baseUrl() + "/desk");

        // Wrong password: stays on the login form with a message.
        page.getByLabel("Name").fill("Sarah");
        page.getByLabel("Password").fill("nope");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
        assertThat(page.locator("#login-error")).hasText("Wrong name or password.");

        page.getByLabel("Password").fill(FakeDesk.PASSWORD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
        assertThat(page.locator("#agent-name")).hasText("Signed in as Sarah");
        assertThat(page.locator("#conn")).hasText("Connected");
        Assertions.assertThat((String) page.evaluate("localStorage.length + ''")).isEqualTo("0");

        // The waiting conversation, with its position and how long it has waited.
        Locator waiting = page.locator("#queues li");
        assertThat(waiting).hasCount(1);
        assertThat(waiting).containsText("#1");
        assertThat(waiting.locator(".waited")).hasText(java.util.regex.Pattern.compile("^waited 1:\\d\\d$"));
        Locator presence = page.getByRole(AriaRole.SWITCH, new Page.GetByRoleOptions().setName("Available"));
        assertThat(presence).isChecked();
        presence.press("Space");
        assertThat(presence).not().isChecked();
        assertThat(page.locator("#presence-state")).hasText("Away");
        await().atMost(10, TimeUnit.SECONDS).until(() -> fake.restCalls.contains("presence AWAY"));
        presence.click();
        await().atMost(10, TimeUnit.SECONDS).until(() -> fake.restCalls.contains("presence AVAILABLE"));
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("desk-waiting.png")));

        // Take it: the history arrives as a batch (shuffled, with a duplicate) and is shown in order.
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions()
                .setName("Take conversation " + SESSION + " (number 1 in support)")).click();
        await().atMost(10, TimeUnit.SECONDS).until(() -> fake.restCalls.contains("claim " + SESSION));
        Locator tab = page.getByRole(AriaRole.TAB);
        assertThat(tab).hasCount(1);
        assertThat(tab).hasAttribute("aria-selected", "true");
        assertThat(waiting).hasCount(0);
        Locator log = page.getByRole(AriaRole.LOG);
        assertThat(log).hasAttribute("aria-live", "polite");
        assertThat(log.locator(".msg .text")).hasText(new String[] {
            "Hello, I need help with my booking", "I'm connecting you to a colleague.", "One moment please.", XSS});
        assertThat(log.locator(".notice")).containsText(new String[] {"AI agent handed off to a person"});
        Assertions.assertThat(page.evaluate("window.__xss === undefined")).isEqualTo(true);
        assertThat(log.locator("img")).hasCount(0);
        assertThat(log.locator("script")).hasCount(0);

        // Type and send: typing STARTED, then STOPPED and the text; the fake echoes the live-agent message.
        Locator composer = page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Message"));
        assertThat(composer).isFocused();
        composer.pressSequentially("Hi, this is Sarah");
        await().atMost(10, TimeUnit.SECONDS).until(() -> fake.command("desk.typing", SESSION).isPresent());
        Assertions.assertThat(fake.command("desk.typing", SESSION).orElseThrow().getString("state"))
                .isEqualTo("TYPING_STATE_STARTED");
        composer.press("Enter");
        await().atMost(10, TimeUnit.SECONDS).until(() -> fake.command("desk.send", SESSION).isPresent());
        Assertions.assertThat(fake.command("desk.send", SESSION).orElseThrow().getString("text"))
                .isEqualTo("Hi, this is Sarah");
        Assertions.assertThat(fake.typingStates()).containsExactly("TYPING_STATE_STARTED", "TYPING_STATE_STOPPED");
        assertThat(composer).hasValue("");
        Locator mine = log.locator(".msg.live");
        assertThat(mine).hasCount(1);
        assertThat(mine.locator(".text")).hasText("Hi, this is Sarah");
        assertThat(mine.locator(".who")).hasText("Sarah (you)");

        // The user types: the indicator shows; it goes when they stop.
        fake.pushEvent(transientEvent("EVENT_TYPE_USER_TYPING", new JsonObject().put("state", "TYPING_STATE_STARTED")));
        assertThat(page.locator(".typing")).hasText("User is typing…");
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("desk-conversation.png")));
        fake.pushEvent(transientEvent("EVENT_TYPE_USER_TYPING", new JsonObject().put("state", "TYPING_STATE_STOPPED")));
        assertThat(page.locator(".typing")).hasText("");

        // A refused command is shown.
        fake.pushAll(new JsonObject().put("type", "desk.error").put("message", "conversation not assigned"));
        assertThat(page.getByRole(AriaRole.ALERT).filter(new Locator.FilterOptions().setHasText("not assigned")))
                .isVisible();

        // The socket drops: the page reconnects by itself and keeps the conversation.
        fake.dropSockets();
        await().atMost(10, TimeUnit.SECONDS).until(() -> fake.connections.get() == 2);
        assertThat(page.locator("#conn")).hasText("Connected");
        assertThat(log.locator(".msg")).hasCount(5);

        // Leave: the command goes out, the conversation is closed and the composer disabled.
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Leave")).click();
        await().atMost(10, TimeUnit.SECONDS).until(() -> fake.command("desk.leave", SESSION).isPresent());
        assertThat(log.locator(".notice").last()).hasText("Conversation ended");
        assertThat(composer).isDisabled();
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Close tab"))).isVisible();
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("desk-left.png")));

        Assertions.assertThat(pageErrors).isEmpty();
        Assertions.assertThat(fake.commands).allSatisfy(c -> Assertions.assertThat(c.getString("type")).startsWith("desk."));
    }

    private static JsonObject transientEvent(String type, JsonObject payload) {
        return new JsonObject().put("id", java.util.UUID.randomUUID().toString()).putNull("sequence")
                .put("timestamp", "2026-01-01T12:00:10Z").put("type", type).put("payload", payload);
    }

    /**
     * FAKE DESK BACKEND — a stand-in for the real desk server (branch helper/d2), to be swapped for the real one
     * when it lands. One agent (Sarah), queues support and sales, one conversation waiting in support. Claims
     * answer with desk.assigned plus a desk.event history batch; desk.send is echoed as a LIVE_AGENT_MESSAGE;
     * desk.leave ends the conversation. Every WebSocket command is recorded.
     */
    static final class FakeDesk implements AutoCloseable {
        static final String PASSWORD = "parley-demo";
        static final String TOKEN = "fake-desk-token";
        static final JsonObject AGENT = new JsonObject().put("id", "agt_sarah").put("name", "Sarah")
                .putNull("avatar_url").put("queues", new JsonArray().add("support").add("sales")).put("capacity", 3);

        final Vertx vertx = Vertx.vertx();
        final List<JsonObject> commands = new CopyOnWriteArrayList<>();
        final List<String> restCalls = new CopyOnWriteArrayList<>();
        final List<ServerWebSocket> sockets = new CopyOnWriteArrayList<>();
        final AtomicInteger connections = new AtomicInteger();
        private final AtomicInteger sequence = new AtomicInteger(8);
        private volatile boolean assigned;
        private HttpServer server;

        static FakeDesk start() throws Exception {
            FakeDesk fake = new FakeDesk();
            Router router = Router.router(fake.vertx);
            DeskPage.register(router); // the real page, served by the real class
            router.route("/desk/api/*").handler(BodyHandler.create());
            router.post("/desk/api/login").handler(fake::login);
            router.get("/desk/api/me").handler(ctx -> fake.authed(ctx, () -> json(ctx, 200, fake.snapshot())));
            router.put("/desk/api/presence").handler(ctx -> fake.authed(ctx, () -> {
                fake.restCalls.add("presence " + ctx.body().asJsonObject().getString("presence"));
                ctx.response().setStatusCode(204).end();
            }));
            router.post("/desk/api/claim").handler(ctx -> fake.authed(ctx, () -> fake.claim(ctx)));
            router.get("/desk/api/conversations/:id/transcript").handler(ctx -> fake.authed(ctx, () -> {
                if (fake.assigned && SESSION.equals(ctx.pathParam("id"))) {
                    json(ctx, 200, new JsonObject().put("events", history()));
                } else {
                    json(ctx, 404, new JsonObject().put("error", "not found"));
                }
            }));
            router.get("/desk/ws").handler(fake::socket);
            fake.server = fake.vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                    .await(10, TimeUnit.SECONDS);
            return fake;
        }

        String baseUrl() {
            return "http://127.0.0.1:" + server.actualPort();
        }

        Optional<JsonObject> command(String type, String sessionId) {
            return commands.stream()
                    .filter(c -> type.equals(c.getString("type")) && sessionId.equals(c.getString("session_id")))
                    .findFirst();
        }

        List<String> typingStates() {
            return commands.stream().filter(c -> "desk.typing".equals(c.getString("type")))
                    .map(c -> c.getString("state")).toList();
        }

        void pushEvent(JsonObject event) {
            pushAll(new JsonObject().put("type", "desk.event").put("session_id", SESSION).put("event", event));
        }

        void pushAll(JsonObject message) {
            sockets.forEach(s -> s.writeTextMessage(message.encode()));
        }

        void dropSockets() {
            sockets.forEach(ServerWebSocket::close);
        }

        private void login(RoutingContext ctx) {
            JsonObject body = ctx.body().asJsonObject();
            if (body != null && "Sarah".equals(body.getString("name")) && PASSWORD.equals(body.getString("password"))) {
                json(ctx, 200, new JsonObject().put("token", TOKEN).put("expires_in", 43200).put("agent", AGENT));
            } else {
                json(ctx, 401, new JsonObject().put("error", "invalid credentials"));
            }
        }

        private void authed(RoutingContext ctx, Runnable then) {
            if (("Bearer " + TOKEN).equals(ctx.request().getHeader("Authorization"))) {
                then.run();
            } else {
                json(ctx, 401, new JsonObject().put("error", "unauthorized"));
            }
        }

        private void claim(RoutingContext ctx) {
            JsonObject body = ctx.body().asJsonObject();
            String wanted = body == null ? null : body.getString("session_id");
            restCalls.add("claim " + wanted);
            if (assigned || (wanted != null && !SESSION.equals(wanted))) {
                json(ctx, 409, new JsonObject().put("error", "conversation not available"));
                return;
            }
            assigned = true;
            json(ctx, 200, new JsonObject().put("conversation", conversation()));
            pushAll(new JsonObject().put("type", "desk.assigned").put("conversation", conversation()));
            pushEvent(new JsonObject().put("id", "batch-1").putNull("sequence").put("type", "EVENT_TYPE_EVENT_BATCH")
                    .put("payload", new JsonObject().put("events", history())));
            pushAll(snapshot());
        }

        private void socket(RoutingContext ctx) {
            if (!TOKEN.equals(ctx.request().getParam("token"))) {
                json(ctx, 401, new JsonObject().put("error", "unauthorized"));
                return;
            }
            ctx.request().toWebSocket().onSuccess(ws -> {
                connections.incrementAndGet();
                sockets.add(ws);
                ws.closeHandler(v -> sockets.remove(ws));
                ws.textMessageHandler(text -> onCommand(new JsonObject(text)));
                ws.writeTextMessage(snapshot().encode());
            });
        }

        private void onCommand(JsonObject cmd) {
            commands.add(cmd);
            switch (cmd.getString("type", "")) {
                case "desk.send" -> pushEvent(event("EVENT_TYPE_LIVE_AGENT_MESSAGE", new JsonObject()
                        .put("message_id", "msg_live_" + sequence.get()).put("agent_id", "agt_sarah")
                        .put("text", cmd.getString("text")).put("attachments", new JsonArray())
                        .put("response_suggestions", new JsonArray())));
                case "desk.leave", "desk.end" -> {
                    pushEvent(event("EVENT_TYPE_LIVE_AGENT_LEFT", new JsonObject()));
                    pushEvent(event("EVENT_TYPE_SESSION_END", new JsonObject().put("reason", "REASON_NATURAL_END")));
                    assigned = false;
                    pushAll(new JsonObject().put("type", "desk.unassigned").put("session_id", SESSION));
                }
                default -> { }
            }
        }

        private JsonObject event(String type, JsonObject payload) {
            int seq = sequence.incrementAndGet();
            return new JsonObject().put("id", "ev-" + seq).put("sequence", seq)
                    .put("timestamp", "2026-01-01T12:00:0" + (seq % 10) + "Z").put("type", type).put("payload", payload);
        }

        private JsonObject conversation() {
            return new JsonObject().put("session_id", SESSION).put("queue", "support")
                    .put("status", assigned ? "ASSIGNED" : "WAITING").put("enqueued_at", "2026-01-01T12:00:00Z")
                    .put("assigned_at", assigned ? "2026-01-01T12:01:05Z" : null);
        }

        private JsonObject snapshot() {
            JsonArray waiting = assigned ? new JsonArray() : new JsonArray().add(new JsonObject()
                    .put("session_id", SESSION).put("position", 1).put("waited_seconds", 65));
            return new JsonObject().put("type", "desk.snapshot").put("presence", "AVAILABLE")
                    .put("mine", assigned ? new JsonArray().add(conversation()) : new JsonArray())
                    .put("queues", new JsonArray()
                            .add(new JsonObject().put("name", "support").put("assignment", "MANUAL").put("waiting", waiting))
                            .add(new JsonObject().put("name", "sales").put("assignment", "AUTO")
                                    .put("waiting", new JsonArray())));
        }

        /** The stored history, deliberately out of order and with one duplicate; includes a streamed AI reply. */
        private static JsonArray history() {
            return new JsonArray()
                    .add(stored(3, "EVENT_TYPE_POLY_AGENT_MESSAGE", new JsonObject().put("message_id", "msg_ai_1")
                            .put("text", "I'm connecting you to a colleague.")))
                    .add(stored(1, "EVENT_TYPE_SESSION_START", new JsonObject()))
                    .add(stored(2, "EVENT_TYPE_USER_MESSAGE", new JsonObject().put("message_id", "msg_u_1")
                            .put("text", "Hello, I need help with my booking")))
                    .add(stored(5, "EVENT_TYPE_POLY_AGENT_MESSAGE_CHUNK", new JsonObject().put("message_id", "msg_ai_2")
                            .put("text", "please.").put("chunk_index", 2).put("is_complete", true)))
                    .add(stored(4, "EVENT_TYPE_POLY_AGENT_MESSAGE_CHUNK", new JsonObject().put("message_id", "msg_ai_2")
                            .put("text", "One moment ").put("chunk_index", 1).put("is_complete", false)))
                    .add(stored(6, "EVENT_TYPE_POLY_AGENT_TRIGGERED_HANDOFF", new JsonObject()))
                    .add(stored(2, "EVENT_TYPE_USER_MESSAGE", new JsonObject().put("message_id", "msg_u_1")
                            .put("text", "Hello, I need help with my booking")))
                    .add(stored(7, "EVENT_TYPE_HANDOFF_ACCEPTED", new JsonObject()))
                    .add(stored(8, "EVENT_TYPE_USER_MESSAGE", new JsonObject().put("message_id", "msg_u_2")
                            .put("text", XSS)));
        }

        private static JsonObject stored(int seq, String type, JsonObject payload) {
            return new JsonObject().put("id", "hist-" + seq).put("sequence", seq)
                    .put("timestamp", "2026-01-01T12:00:0" + seq + "Z").put("type", type).put("payload", payload);
        }

        private static void json(RoutingContext ctx, int status, JsonObject body) {
            ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
        }

        @Override
        public void close() throws Exception {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }
}
