package dev.parley.server.http.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.ParleyServer;
import dev.parley.server.agent.scripted.FlowException;
import dev.parley.server.config.DeskConfig;
import dev.parley.server.desk.DeskAgent;
import dev.parley.server.desk.Passwords;
import dev.parley.server.desk.QueueSettings;
import dev.parley.server.store.Connector;
import dev.parley.server.store.NodeStore;
import dev.parley.server.testing.BothStores;
import dev.parley.server.testing.Frames;
import dev.parley.server.testing.OfficialSdkReading;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestStores;
import dev.parley.server.testing.WsClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Handoffs from the AI agent to human agents, end to end: users on real protocol WebSockets, live
 * agents on real desk WebSockets, a real node with the desk on (PROTOCOL.md §9, §10.3).
 */
@BothStores
class HandoffEndToEndTest {
    private static final String ASK_FOR_HUMAN = "I need a human";
    private static final String QUEUE_STATUS = "EVENT_TYPE_HANDOFF_QUEUE_STATUS";
    private static final String JOINED = "EVENT_TYPE_LIVE_AGENT_JOINED";
    private static final String LEFT = "EVENT_TYPE_LIVE_AGENT_LEFT";
    private static final DeskAgent UMA = new DeskAgent("agt_uma", ParleyServer.DEMO_CONNECTOR_ID, "Uma",
            "https://example.com/uma.png", List.of("support"), 1);

    @TempDir
    Path dir;
    DeskTestNode node;
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            AutoCloseable c = open.get(i);
            try {
                c.close();
            } catch (RuntimeException e) {
                // already closed
            }
        }
        if (node != null) {
            node.close();
        }
    }

    // ---- set-up helpers ------------------------------------------------------------------------

    /** support AUTO, sales MANUAL, a short grace period, statuses only when positions move. */
    private static DeskConfig desk(Duration supportMaxWait, Duration grace) {
        return new DeskConfig(true, List.of(QueueSettings.auto("support", supportMaxWait),
                new QueueSettings("sales", QueueSettings.Assignment.MANUAL, Duration.ofMinutes(10), true)),
                grace, Duration.ofMinutes(5), null, null);
    }

    private static DeskConfig desk() {
        return desk(Duration.ofMinutes(10), Duration.ofMillis(500));
    }

    private Path data() {
        return dir.resolve("data");
    }

    private DeskTestNode start(DeskConfig desk, Path flowFile, DeskAgent... more) {
        node = new DeskTestNode(data(), desk, flowFile, List.of(more));
        return node;
    }

    /** The demo flow with its handoff intent sent to {@code queue} instead of {@code support}. */
    private Path flowHandingOffTo(String queue) {
        try (InputStream in = getClass().getResourceAsStream("/flows/demo.yaml")) {
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(yaml).contains("queue: support");
            Path file = dir.resolve("flow-" + queue + ".yaml");
            Files.writeString(file, yaml.replace("queue: support", "queue: " + queue));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A live agent on their desk socket, past the first snapshot. */
    private DeskClient agent(String name) {
        DeskClient desk = node.connectAgent(name);
        open.add(desk);
        assertThat(desk.next().path("type").asText()).isEqualTo("desk.snapshot");
        return desk;
    }

    /** A new session that joined the AI and read its greeting. */
    private WsClient greetedUser() {
        WsClient user = node.newSession();
        open.add(user);
        user.replay();
        user.join();
        Frames.readUntilAgentReply(user);
        return user;
    }

    /** Asks for a human; returns every frame from the echo to the first of {@code lastType}. */
    private static List<JsonNode> askForHuman(WsClient user, String lastType) {
        user.say(ASK_FOR_HUMAN);
        return Frames.readUntil(user, f -> Frames.type(f).equals(lastType));
    }

    private static List<String> types(List<JsonNode> frames) {
        return frames.stream().map(Frames::type).toList();
    }

    private static JsonNode last(List<JsonNode> frames) {
        return frames.get(frames.size() - 1);
    }

    private static Predicate<JsonNode> deskEvent(String eventType) {
        return m -> m.path("type").asText().equals("desk.event")
                && m.path("event").path("type").asText().equals(eventType);
    }

    private static void assertConsecutive(List<JsonNode> stored, long first) {
        for (int i = 0; i < stored.size(); i++) {
            assertThat(Frames.sequence(stored.get(i))).as("sequence of %s", stored.get(i)).isEqualTo(first + i);
        }
    }

    private static JsonNode payload(JsonNode frame) {
        return frame.path("payload");
    }

    /** The AI is back: a join is echoed, the agent joins and greets. */
    private static void assertTheAiGreetsAgain(WsClient user) {
        user.join();
        user.next("EVENT_TYPE_REQUEST_POLY_AGENT_JOIN");
        user.next("EVENT_TYPE_POLY_AGENT_JOINED");
        user.next("EVENT_TYPE_POLY_AGENT_THINKING");
        assertThat(payload(user.next("EVENT_TYPE_POLY_AGENT_MESSAGE")).path("text").asText()).startsWith("Hi, I'm Ada");
        user.say("What are your opening hours?");
        user.next("EVENT_TYPE_USER_MESSAGE");
        user.next("EVENT_TYPE_POLY_AGENT_THINKING");
        assertThat(payload(user.next("EVENT_TYPE_POLY_AGENT_MESSAGE")).path("text").asText()).contains("Tuesday to Sunday");
    }

    // ---- 1. the documented flow ----------------------------------------------------------------

    @Test
    void aUserWhoAsksForAHumanWaitsThenTalksWithSarahUntilSheLeavesInTheDocumentedOrder() {
        start(desk(), null);
        WsClient user = greetedUser();

        List<JsonNode> handoff = askForHuman(user, QUEUE_STATUS);
        assertThat(types(handoff)).containsExactly("EVENT_TYPE_USER_MESSAGE", "EVENT_TYPE_POLY_AGENT_THINKING",
                "EVENT_TYPE_POLY_AGENT_MESSAGE", "EVENT_TYPE_POLY_AGENT_TRIGGERED_HANDOFF", "EVENT_TYPE_POLY_AGENT_LEFT",
                "EVENT_TYPE_HANDOFF_ACCEPTED", QUEUE_STATUS);
        List<JsonNode> stored = Frames.stored(handoff);
        assertThat(stored).hasSize(6); // all but the transient THINKING
        long first = Frames.sequence(stored.get(0));
        assertConsecutive(stored, first);
        long seq = first + stored.size() - 1;
        JsonNode status = payload(last(handoff));
        assertThat(status.path("queue_name").asText()).isEqualTo("support");
        assertThat(status.path("position_in_queue").asInt()).isEqualTo(1);
        assertThat(status.path("estimated_wait_seconds").isInt()).isTrue();
        // Additive extensions the official SDKs read (issue 12 item 2).
        JsonNode aiReply = payload(handoff.get(2));
        assertThat(aiReply.path("agent_name").asText()).isEqualTo("Ada");
        assertThat(aiReply.path("avatar_url").asText()).isEqualTo("/widget/assets/ada.svg");
        assertThat(aiReply.has("chat_call_actions")).as("no call button unless offered").isFalse();
        assertThat(aiReply.has("end_conversation")).as("not a closing message").isFalse();
        assertThat(payload(handoff.get(4)).path("reason").asText()).isEqualTo("Handing you over to a human agent.");
        assertThat(payload(handoff.get(5)).path("queue_name").asText()).isEqualTo("support");
        assertThat(status.path("display_message").asText()).startsWith("You are next in the queue for support.");
        user.assertNoMoreEvents();

        DeskClient sarah = agent("Sarah");
        JsonNode joined = user.next(JOINED);
        assertThat(Frames.sequence(joined)).isEqualTo(++seq);
        JsonNode agent = payload(joined).path("agent");
        assertThat(agent.path("id").asText()).isEqualTo("agt_sarah");
        assertThat(agent.path("name").asText()).isEqualTo("Sarah");
        assertThat(agent.path("avatar_url").asText()).isEqualTo("https://example.com/sarah.png");
        assertThat(sarah.next("desk.assigned").path("conversation").path("session_id").asText()).isEqualTo(user.sessionId());
        sarah.next(deskEvent("EVENT_TYPE_EVENT_BATCH")); // the history: from here on the desk follows live

        user.say("My booking for tonight is wrong");
        JsonNode echo = user.next("EVENT_TYPE_USER_MESSAGE");
        assertThat(Frames.sequence(echo)).isEqualTo(++seq);
        assertThat(payload(echo).path("message_id").asText()).isNotEmpty();
        JsonNode seen = sarah.next(m -> deskEvent("EVENT_TYPE_USER_MESSAGE").test(m)
                && m.path("event").path("payload").path("text").asText().equals("My booking for tonight is wrong"));
        assertThat(seen.path("session_id").asText()).isEqualTo(user.sessionId());

        sarah.send(DeskClient.command("desk.typing").put("session_id", user.sessionId()).put("state", "TYPING_STATE_STARTED"));
        JsonNode typing = user.next("EVENT_TYPE_LIVE_AGENT_TYPING");
        assertThat(typing.get("sequence").isNull()).isTrue();
        assertThat(payload(typing).path("agent_id").asText()).isEqualTo("agt_sarah");
        assertThat(payload(typing).path("state").asText()).isEqualTo("TYPING_STATE_STARTED");
        assertThat(payload(typing).path("agent_name").asText()).isEqualTo("Sarah");
        assertThat(payload(typing).path("avatar_url").asText()).isEqualTo("https://example.com/sarah.png");

        sarah.send(DeskClient.command("desk.send").put("session_id", user.sessionId()).put("text", "Let me fix that for you."));
        JsonNode message = user.next("EVENT_TYPE_LIVE_AGENT_MESSAGE");
        assertThat(Frames.sequence(message)).isEqualTo(++seq);
        assertThat(payload(message).path("message_id").asText()).isNotEmpty();
        assertThat(payload(message).path("agent_id").asText()).isEqualTo("agt_sarah");
        assertThat(payload(message).path("text").asText()).isEqualTo("Let me fix that for you.");
        assertThat(payload(message).path("attachments").isArray()).isTrue();
        assertThat(payload(message).path("attachments")).isEmpty();
        assertThat(payload(message).path("response_suggestions").isArray()).isTrue();
        assertThat(payload(message).path("response_suggestions")).isEmpty();
        assertThat(payload(message).path("agent_name").asText()).isEqualTo("Sarah");
        assertThat(payload(message).path("avatar_url").asText()).isEqualTo("https://example.com/sarah.png");
        assertThat(payload(message).has("end_conversation")).isFalse();

        user.send("{\"type\":\"EVENT_TYPE_USER_TYPING\",\"payload\":{\"state\":\"TYPING_STATE_STARTED\"}}");
        JsonNode userTyping = sarah.next(deskEvent("EVENT_TYPE_USER_TYPING"));
        assertThat(userTyping.path("event").path("payload").path("state").asText()).isEqualTo("TYPING_STATE_STARTED");

        sarah.send(DeskClient.command("desk.end").put("session_id", user.sessionId()));
        JsonNode left = user.next(LEFT);
        assertThat(Frames.sequence(left)).isEqualTo(++seq);
        assertThat(payload(left).path("agent_id").asText()).isEqualTo("agt_sarah");
        assertThat(payload(left).path("agent_name").asText()).isEqualTo("Sarah");
        assertThat(payload(left).path("reason").asText()).isEqualTo("The agent ended the conversation.");
        JsonNode end = user.next("EVENT_TYPE_SESSION_END");
        assertThat(Frames.sequence(end)).isEqualTo(++seq);
        assertThat(payload(end).path("reason").asText()).isEqualTo("REASON_NATURAL_END");
        assertThat(user.awaitClose()).isEqualTo(1000);
    }

    // ---- 2. the AI is muted --------------------------------------------------------------------

    @Test
    void theAiStaysSilentWhileTheUserWaitsAndWhileAHumanIsLive() {
        start(desk(), null);
        WsClient user = greetedUser();
        askForHuman(user, QUEUE_STATUS);

        user.say("What are your opening hours?"); // the AI would answer this one
        assertThat(payload(user.next("EVENT_TYPE_USER_MESSAGE")).path("text").asText()).isEqualTo("What are your opening hours?");
        user.assertNoMoreEvents();

        DeskClient sarah = agent("Sarah");
        user.next(JOINED);
        user.say("Hello? Show me the menu");
        user.next("EVENT_TYPE_USER_MESSAGE");
        user.assertNoMoreEvents();
        sarah.send(DeskClient.command("desk.send").put("session_id", user.sessionId()).put("text", "Here I am."));
        // strictly next: no AI thinking or message slipped in before it
        assertThat(payload(user.next("EVENT_TYPE_LIVE_AGENT_MESSAGE")).path("text").asText()).isEqualTo("Here I am.");
        user.assertNoMoreEvents();
    }

    // ---- 3. queue positions --------------------------------------------------------------------

    @Test
    void waitingUsersAreNumberedOneTwoThreeAndMoveUpWhenTheFirstIsTaken() {
        start(desk(), null, UMA);
        List<WsClient> users = List.of(greetedUser(), greetedUser(), greetedUser());
        for (int i = 0; i < users.size(); i++) {
            JsonNode status = payload(last(askForHuman(users.get(i), QUEUE_STATUS)));
            assertThat(status.path("position_in_queue").asInt()).isEqualTo(i + 1);
            assertThat(status.path("queue_name").asText()).isEqualTo("support");
        }
        users.forEach(WsClient::assertNoMoreEvents);

        agent("Uma"); // capacity 1: takes the first only
        assertThat(payload(users.get(0).next(JOINED)).path("agent").path("name").asText()).isEqualTo("Uma");
        assertThat(payload(users.get(1).next(QUEUE_STATUS)).path("position_in_queue").asInt()).isEqualTo(1);
        assertThat(payload(users.get(2).next(QUEUE_STATUS)).path("position_in_queue").asInt()).isEqualTo(2);
        users.forEach(WsClient::assertNoMoreEvents);
    }

    // ---- 4. least-loaded assignment and capacity -----------------------------------------------

    @Test
    void twoSupportAgentsShareTheUsersByLoadAndNeverExceedTheirCapacity() {
        start(desk(), null, UMA);
        DeskClient sarah = agent("Sarah"); // capacity 3
        DeskClient uma = agent("Uma"); // capacity 1
        Map<String, List<String>> byAgent = new HashMap<>();
        List<WsClient> users = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            WsClient user = greetedUser();
            users.add(user);
            String agentId = payload(last(askForHuman(user, JOINED))).path("agent").path("id").asText();
            byAgent.computeIfAbsent(agentId, a -> new ArrayList<>()).add(user.sessionId());
        }
        // the first goes to Sarah (tie broken by id), the second to the idle Uma, then Sarah fills up
        assertThat(byAgent.get("agt_sarah")).containsExactly(users.get(0).sessionId(), users.get(2).sessionId(),
                users.get(3).sessionId());
        assertThat(byAgent.get("agt_uma")).containsExactly(users.get(1).sessionId());
        assertThat(uma.next("desk.assigned").path("conversation").path("session_id").asText())
                .isEqualTo(users.get(1).sessionId());

        WsClient fifth = greetedUser();
        JsonNode status = payload(last(askForHuman(fifth, QUEUE_STATUS)));
        assertThat(status.path("position_in_queue").asInt()).isEqualTo(1);
        fifth.assertNoMoreEvents();

        uma.send(DeskClient.command("desk.end").put("session_id", users.get(1).sessionId()));
        users.get(1).next(LEFT);
        assertThat(payload(fifth.next(JOINED)).path("agent").path("id").asText()).isEqualTo("agt_uma");
        assertThat(sarah.isClosed()).isFalse();
    }

    // ---- 5. manual queue, concurrent claims ----------------------------------------------------

    @Test
    void whenTwoAgentsClaimTheSameSalesConversationAtOnceExactlyOneGetsIt() throws Exception {
        start(desk(), flowHandingOffTo("sales"));
        DeskClient sarah = agent("Sarah");
        DeskClient tom = agent("Tom");
        WsClient user = greetedUser();
        JsonNode status = payload(last(askForHuman(user, QUEUE_STATUS)));
        assertThat(status.path("queue_name").asText()).isEqualTo("sales");
        assertThat(status.path("position_in_queue").asInt()).isEqualTo(1);
        user.assertNoMoreEvents(); // manual: nobody is assigned automatically

        CyclicBarrier together = new CyclicBarrier(2);
        List<CompletableFuture<Void>> claims = new ArrayList<>();
        for (DeskClient desk : List.of(sarah, tom)) {
            claims.add(CompletableFuture.runAsync(() -> {
                try {
                    together.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                desk.send(DeskClient.command("desk.claim").put("request_id", "claim").put("session_id", user.sessionId()));
            }));
        }
        CompletableFuture.allOf(claims.toArray(CompletableFuture[]::new)).get(WsClient.WAIT.toSeconds(),
                java.util.concurrent.TimeUnit.SECONDS);

        Predicate<JsonNode> answer = m -> m.path("type").asText().equals("desk.assigned")
                || m.path("type").asText().equals("desk.error");
        JsonNode sarahGot = sarah.next(answer);
        JsonNode tomGot = tom.next(answer);
        List<String> outcomes = List.of(sarahGot.path("type").asText(), tomGot.path("type").asText());
        assertThat(outcomes).containsExactlyInAnyOrder("desk.assigned", "desk.error");
        JsonNode refused = sarahGot.path("type").asText().equals("desk.error") ? sarahGot : tomGot;
        assertThat(refused.path("message").asText()).isEqualTo("conversation not available");
        assertThat(refused.path("request_id").asText()).isEqualTo("claim");
        String winner = sarahGot == refused ? "agt_tom" : "agt_sarah";

        List<JsonNode> frames = Frames.readUntil(user, f -> Frames.type(f).equals(JOINED));
        assertThat(payload(last(frames)).path("agent").path("id").asText()).isEqualTo(winner);
        user.assertNoMoreEvents(); // exactly one LIVE_AGENT_JOINED

        // the REST claim of the loser is refused too
        String loser = winner.equals("agt_tom") ? "Sarah" : "Tom";
        var rest = node.desk().call("POST", "/desk/api/claim", node.desk().token(loser, DeskTestNode.PASSWORD),
                "{\"session_id\":\"" + user.sessionId() + "\"}");
        assertThat(rest.statusCode()).isEqualTo(409);
    }

    // ---- 6. agent disconnect and requeue -------------------------------------------------------

    @Test
    void whenSarahsDeskDropsHerUserIsRequeuedAfterTheGracePeriodAndSheGetsItBackOnReconnect() {
        start(desk(), null);
        DeskClient sarah = agent("Sarah");
        WsClient user = greetedUser();
        OfficialSdkReading sdk = new OfficialSdkReading().read(askForHuman(user, JOINED));
        sarah.close();

        // No LIVE_AGENT_LEFT: the official SDKs would show "conversation ended" (issue 12 item 6).
        List<JsonNode> requeue = Frames.readUntil(user, f -> Frames.type(f).equals(QUEUE_STATUS));
        assertThat(types(requeue)).containsExactly(QUEUE_STATUS);
        JsonNode status = payload(last(requeue));
        assertThat(status.path("queue_name").asText()).isEqualTo("support");
        assertThat(status.path("position_in_queue").asInt()).isEqualTo(1);
        assertThat(status.path("display_message").asText()).startsWith("You are next in the queue for support.");
        user.assertNoMoreEvents();
        assertThat(sdk.read(requeue).showsEnded()).as("the SDK still shows a live conversation").isFalse();

        DeskClient again = agent("Sarah");
        assertThat(again.next("desk.assigned").path("conversation").path("session_id").asText()).isEqualTo(user.sessionId());
        assertThat(payload(user.next(JOINED)).path("agent").path("id").asText()).isEqualTo("agt_sarah");
        again.send(DeskClient.command("desk.send").put("session_id", user.sessionId()).put("text", "Sorry, I'm back."));
        assertThat(payload(user.next("EVENT_TYPE_LIVE_AGENT_MESSAGE")).path("text").asText()).isEqualTo("Sorry, I'm back.");
    }

    @Test
    void aConversationRequeuedAfterALongChatGetsANewPositionInsteadOfTimingOutAtOnce() {
        Duration maxWait = Duration.ofMillis(1500);
        start(desk(maxWait, Duration.ofMillis(300)), null);
        DeskClient sarah = agent("Sarah");
        WsClient user = greetedUser();
        askForHuman(user, JOINED);
        Instant joined = Instant.now();
        // the live chat lasts longer than the queue's maximum wait
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> Duration.between(joined, Instant.now()).compareTo(maxWait.plusMillis(200)) > 0);
        sarah.close();

        List<JsonNode> requeue = Frames.readUntil(user, f -> Frames.type(f).equals(QUEUE_STATUS));
        assertThat(types(requeue)).containsExactly(QUEUE_STATUS);
        JsonNode status = payload(last(requeue));
        assertThat(status.path("position_in_queue").asInt()).isEqualTo(1);
        user.assertNoMoreEvents();
    }

    // ---- 7. timeout ----------------------------------------------------------------------------

    @Test
    void aUserNobodyTakesTimesOutAndCanTalkToTheAiAgain() {
        start(desk(Duration.ofMillis(800), Duration.ofMillis(500)), null);
        WsClient user = greetedUser();
        askForHuman(user, QUEUE_STATUS);
        assertThat(payload(user.next("EVENT_TYPE_HANDOFF_TIMEOUT")).path("reason").asText())
                .isEqualTo("No human agent became free in time.");
        user.assertNoMoreEvents();
        assertThat(node.handoff(user.sessionId())).isEmpty();
        assertTheAiGreetsAgain(user);
    }

    // ---- 8. failure ----------------------------------------------------------------------------

    @Test
    void aFlowHandingOffToAQueueThatIsNotConfiguredIsRefusedAtStartUpNamingTheKey() {
        // Issue 13: found at start-up, not when the first user asks for a person.
        assertThatThrownBy(() -> start(desk().withQueues(List.of(QueueSettings.auto("sales", Duration.ofMinutes(10)))), null))
                .isInstanceOf(FlowException.class)
                .hasMessageContaining("intent \"human\": handoff.queue: 'support' is not a queue of the desk (desk.queues: sales)");
    }

    @Test
    void aHandoffToAQueueNoAgentServesFailsAndTheSessionStaysUsable() {
        DeskConfig withBilling = desk().withQueues(List.of(QueueSettings.auto("support", Duration.ofMinutes(10)),
                QueueSettings.auto("billing", Duration.ofMinutes(10))));
        start(withBilling, flowHandingOffTo("billing"));
        WsClient user = greetedUser();
        List<JsonNode> frames = askForHuman(user, "EVENT_TYPE_HANDOFF_FAILED");
        assertThat(types(frames)).doesNotContain("EVENT_TYPE_HANDOFF_ACCEPTED");
        user.assertNoMoreEvents();
        assertTheAiGreetsAgain(user);
    }

    // ---- 9. client-managed ---------------------------------------------------------------------

    @Test
    void withTheDeskDisabledTheClientIsToldToRouteTheUserItself() {
        try (TestServer server = TestServer.start(data(), c -> c.withDesk(DeskConfig.DISABLED))) {
            WsClient user = server.newSession(false);
            open.add(user);
            user.replay();
            user.join();
            Frames.readUntilAgentReply(user);
            List<JsonNode> frames = askForHuman(user, "EVENT_TYPE_POLY_AGENT_LEFT");
            assertThat(types(frames)).containsExactly("EVENT_TYPE_USER_MESSAGE", "EVENT_TYPE_POLY_AGENT_THINKING",
                    "EVENT_TYPE_POLY_AGENT_MESSAGE", "EVENT_TYPE_POLY_AGENT_TRIGGERED_HANDOFF",
                    "EVENT_TYPE_CLIENT_HANDOFF_REQUIRED", "EVENT_TYPE_POLY_AGENT_LEFT");
            assertConsecutive(Frames.stored(frames), Frames.sequence(frames.get(0)));
            JsonNode required = payload(frames.get(4));
            assertThat(required.path("reason").asText()).isEqualTo("COMPLEX_QUERY");
            assertThat(required.path("queue_name").asText()).isEqualTo("support");
            assertThat(required.has("route")).as("the demo flow names no route").isFalse();
            assertThat(payload(frames.get(5)).path("reason").asText()).isEqualTo("Handing you over to another channel.");
            user.assertNoMoreEvents();
        }
    }

    // ---- 10. transfer --------------------------------------------------------------------------

    @Test
    void sarahTransfersTheUserToSalesWhereTomClaimsIt() {
        start(desk(), null);
        DeskClient sarah = agent("Sarah");
        DeskClient tom = agent("Tom");
        WsClient user = greetedUser();
        askForHuman(user, JOINED);

        sarah.send(DeskClient.command("desk.transfer").put("session_id", user.sessionId()).put("queue", "sales"));
        // No LIVE_AGENT_LEFT: the official SDKs would show "conversation ended" (issue 12 item 6).
        List<JsonNode> transfer = Frames.readUntil(user, f -> Frames.type(f).equals(QUEUE_STATUS));
        assertThat(types(transfer)).containsExactly(QUEUE_STATUS);
        JsonNode status = payload(last(transfer));
        assertThat(status.path("queue_name").asText()).isEqualTo("sales");
        assertThat(status.path("position_in_queue").asInt()).isEqualTo(1);
        assertThat(status.path("display_message").asText()).startsWith("You are next in the queue for sales.");
        assertThat(sarah.next("desk.unassigned").path("session_id").asText()).isEqualTo(user.sessionId());
        user.assertNoMoreEvents(); // sales is manual

        tom.send(DeskClient.command("desk.claim"));
        assertThat(tom.next("desk.assigned").path("conversation").path("session_id").asText()).isEqualTo(user.sessionId());
        JsonNode tomJoined = user.next(JOINED);
        JsonNode agent = payload(tomJoined).path("agent");
        assertThat(agent.path("id").asText()).isEqualTo("agt_tom");
        assertThat(agent.path("name").asText()).isEqualTo("Tom");
        OfficialSdkReading sdk = new OfficialSdkReading().read(transfer).read(List.of(tomJoined));
        assertThat(sdk.showsEnded()).as("the SDK still shows a live conversation").isFalse();
        // Messages from the old agent no longer reach the user: the queue status ended Sarah's turn.
        sarah.send(DeskClient.command("desk.send").put("session_id", user.sessionId()).put("text", "still me"));
        tom.send(DeskClient.command("desk.send").put("session_id", user.sessionId()).put("text", "Tom here."));
        JsonNode fromTom = payload(user.next("EVENT_TYPE_LIVE_AGENT_MESSAGE"));
        assertThat(fromTom.path("text").asText()).isEqualTo("Tom here.");
        assertThat(fromTom.path("agent_name").asText()).isEqualTo("Tom");
    }

    // ---- 11. restart ---------------------------------------------------------------------------

    @Test
    void afterARestartWaitingUsersKeepTheirOrderAndSarahKeepsHerConversation() {
        DeskConfig longGrace = desk(Duration.ofMinutes(10), Duration.ofSeconds(30));
        start(longGrace, null);
        DeskClient sarah = agent("Sarah");
        WsClient a = greetedUser();
        long seqA = Frames.sequence(last(askForHuman(a, JOINED)));
        sarah.send(DeskClient.command("desk.presence").put("presence", "AWAY"));
        sarah.next(m -> m.path("type").asText().equals("desk.snapshot") && m.path("presence").asText().equals("AWAY"));
        WsClient b = greetedUser();
        JsonNode statusB = last(askForHuman(b, QUEUE_STATUS));
        WsClient c = greetedUser();
        JsonNode statusC = last(askForHuman(c, QUEUE_STATUS));
        assertThat(payload(statusB).path("position_in_queue").asInt()).isEqualTo(1);
        assertThat(payload(statusC).path("position_in_queue").asInt()).isEqualTo(2);

        for (AutoCloseable socket : List.<AutoCloseable>of(a, b, c, sarah)) {
            try {
                socket.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        open.clear();
        node.close();
        node = new DeskTestNode(data(), longGrace, null, List.of());

        // the desk reloaded the queue in the same order
        JsonNode queues = DeskHttp.json(node.desk().call("GET", "/desk/api/queues",
                node.desk().token("Sarah", DeskTestNode.PASSWORD), null));
        JsonNode support = null;
        for (JsonNode q : queues.path("queues")) {
            if (q.path("name").asText().equals("support")) {
                support = q;
            }
        }
        assertThat(support).isNotNull();
        List<String> order = new ArrayList<>();
        support.path("waiting").forEach(w -> order.add(w.path("session_id").asText()));
        assertThat(order).containsExactly(b.sessionId(), c.sessionId());
        assertThat(queues.path("mine").get(0).path("session_id").asText()).isEqualTo(a.sessionId());

        // and the waiting users hear the same positions again
        assertThat(statusAfterReconnect(b, Frames.sequence(statusB))).isEqualTo(1);
        assertThat(statusAfterReconnect(c, Frames.sequence(statusC))).isEqualTo(2);

        DeskClient back = node.connectAgent("Sarah"); // her conversations come before the snapshot
        open.add(back);
        back.next(m -> m.path("type").asText().equals("desk.assigned")
                && m.path("conversation").path("session_id").asText().equals(a.sessionId()));
        back.send(DeskClient.command("desk.send").put("session_id", a.sessionId()).put("text", "Still here after the restart."));

        WsClient aAgain = a.reconnect(node.baseUrl(), "seq:" + seqA);
        open.add(aAgain);
        List<JsonNode> seen = new ArrayList<>(aAgain.replay());
        while (Frames.ofType(seen, "EVENT_TYPE_LIVE_AGENT_MESSAGE").isEmpty()) {
            seen.add(aAgain.next());
        }
        assertThat(types(seen)).doesNotContain(LEFT);
        assertThat(payload(Frames.ofType(seen, "EVENT_TYPE_LIVE_AGENT_MESSAGE").get(0)).path("text").asText())
                .isEqualTo("Still here after the restart.");
    }

    /** Reconnects after {@code cursor} and returns the position of the first queue status that follows. */
    private int statusAfterReconnect(WsClient user, long cursor) {
        WsClient again = user.reconnect(node.baseUrl(), "seq:" + cursor);
        open.add(again);
        List<JsonNode> seen = new ArrayList<>(again.replay());
        while (Frames.ofType(seen, QUEUE_STATUS).isEmpty()) {
            seen.add(again.next());
        }
        return payload(Frames.ofType(seen, QUEUE_STATUS).get(0)).path("position_in_queue").asInt();
    }

    // ---- 12. isolation between connectors ------------------------------------------------------

    @Test
    void anAgentOfAnotherConnectorNeverSeesNorClaimsTheDemoConnectorsUsers() {
        start(desk(), null);
        DeskAgent olga = new DeskAgent("agt_olga", "con_other", "Olga", null, List.of("support", "sales"), 3);
        try (NodeStore store = TestStores.open(data())) {
            store.createConnector(new Connector("con_other", "not-a-real-hash", "other.example", Instant.now(), null));
            store.createAgent(olga, new Passwords(4, new java.security.SecureRandom()).hash(DeskTestNode.PASSWORD.toCharArray()));
        }
        DeskClient other = agent("Olga");
        WsClient user = greetedUser();
        askForHuman(user, QUEUE_STATUS);
        user.assertNoMoreEvents(); // Olga serves support but is not assigned

        other.send(DeskClient.command("desk.claim").put("request_id", "one").put("session_id", user.sessionId()));
        List<JsonNode> read = other.readUntil(m -> m.path("type").asText().equals("desk.error"));
        assertThat(last(read).path("message").asText()).isEqualTo("conversation not available");
        other.send(DeskClient.command("desk.claim").put("request_id", "next"));
        read.addAll(other.readUntil(m -> m.path("type").asText().equals("desk.error")));
        assertThat(last(read).path("request_id").asText()).isEqualTo("next");
        for (JsonNode message : read) {
            assertThat(message.toString()).doesNotContain(user.sessionId());
        }

        String token = node.desk().token("Olga", DeskTestNode.PASSWORD);
        JsonNode queues = DeskHttp.json(node.desk().call("GET", "/desk/api/queues", token, null));
        assertThat(queues.toString()).doesNotContain(user.sessionId());
        assertThat(node.desk().call("POST", "/desk/api/claim", token,
                "{\"session_id\":\"" + user.sessionId() + "\"}").statusCode()).isEqualTo(409);
        assertThat(node.desk().call("GET", "/desk/api/conversations/" + user.sessionId() + "/transcript", token, null)
                .statusCode()).isEqualTo(404);
        user.assertNoMoreEvents();

        agent("Sarah"); // the demo connector's agent does get it
        assertThat(payload(user.next(JOINED)).path("agent").path("id").asText()).isEqualTo("agt_sarah");
    }
}
