package dev.parley.server.http.desk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.BothStores;
import dev.parley.server.testing.Frames;
import dev.parley.server.testing.WsClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Internal notes on a real node: the REST calls, the {@code desk.note} socket command and its push,
 * who may use them, the history of an ended conversation — and that the customer never gets one.
 */
@BothStores
class DeskNotesTest {
    private static final String NOTE = "VIP customer, refund approved by Dana (note-7781)";

    @TempDir
    Path dir;
    DeskTestNode node;
    DeskClient sarah;
    String sarahToken;
    WsClient user;

    @BeforeEach
    void start() {
        node = new DeskTestNode(dir);
        sarahToken = node.desk().token("Sarah", DeskTestNode.PASSWORD);
        sarah = node.connectDesk(sarahToken);
        sarah.next("desk.snapshot");
    }

    @AfterEach
    void stop() {
        if (user != null) {
            user.close();
        }
        sarah.close();
        node.close();
    }

    /** The demo flow: "I need a human" → handoff to {@code support} → Sarah joins. */
    private String handOffToSarah() {
        user = node.newSession();
        user.replay();
        user.join();
        Frames.readUntilAgentReply(user);
        user.say("I need a human");
        Frames.readUntil(user, f -> Frames.type(f).equals("EVENT_TYPE_LIVE_AGENT_JOINED"));
        sarah.next("desk.assigned");
        return user.sessionId();
    }

    private HttpResponse<String> post(String sessionId, String token, String body) {
        return node.desk().call("POST", "/desk/api/conversations/" + sessionId + "/notes", token, body);
    }

    private HttpResponse<String> get(String sessionId, String token) {
        return node.desk().call("GET", "/desk/api/conversations/" + sessionId + "/notes", token, null);
    }

    private static String textBody(String text) {
        return dev.parley.protocol.codec.Json.MAPPER.createObjectNode().put("text", text).toString();
    }

    @Test
    void theAssignedAgentWritesANoteItIsPushedToTheirDeskAndListedOldestFirst() {
        String sessionId = handOffToSarah();

        HttpResponse<String> created = post(sessionId, sarahToken, textBody(NOTE));
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode note = DeskHttp.json(created).path("note");
        assertThat(note.path("id").asText()).matches("note_[0-9a-f]{32}");
        assertThat(note.path("author").path("id").asText()).isEqualTo("agt_sarah");
        assertThat(note.path("author").path("name").asText()).isEqualTo("Sarah");
        assertThat(note.path("text").asText()).isEqualTo(NOTE);
        assertThat(note.path("created_at").asText()).endsWith("Z");

        JsonNode pushed = sarah.next("desk.note");
        assertThat(pushed.path("session_id").asText()).isEqualTo(sessionId);
        assertThat(pushed.path("note")).isEqualTo(note);

        assertThat(post(sessionId, sarahToken, textBody("second")).statusCode()).isEqualTo(201);
        HttpResponse<String> listed = get(sessionId, sarahToken);
        assertThat(listed.statusCode()).isEqualTo(200);
        List<String> texts = new ArrayList<>();
        DeskHttp.json(listed).path("notes").forEach(n -> texts.add(n.path("text").asText()));
        assertThat(texts).containsExactly(NOTE, "second");
    }

    @Test
    void emptyOrTooLongTextIs400AndOthersConversationsAre404() {
        String sessionId = handOffToSarah();
        for (String body : new String[] {"{}", "{\"text\":\"   \"}", "{\"text\":42}", "not json",
                textBody("x".repeat(4001))}) {
            HttpResponse<String> refused = post(sessionId, sarahToken, body);
            assertThat(refused.statusCode()).as(body).isEqualTo(400);
            assertThat(DeskHttp.json(refused).path("error").asText()).isNotBlank();
        }
        assertThat(post(sessionId, sarahToken, textBody("x".repeat(4000))).statusCode()).isEqualTo(201);

        String tomToken = node.desk().token("Tom", DeskTestNode.PASSWORD);
        for (HttpResponse<String> response : List.of(get(sessionId, tomToken), post(sessionId, tomToken, textBody("mine?")),
                get("no-such-session", sarahToken), post("no-such-session", sarahToken, textBody("x")))) {
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(DeskHttp.json(response).path("error").asText()).isEqualTo("conversation not found");
        }
        assertThat(get(sessionId, null).statusCode()).isEqualTo(401);
        assertThat(DeskHttp.json(get(sessionId, sarahToken)).path("notes")).hasSize(1);
    }

    @Test
    void theDeskNoteCommandIsAnsweredByThePushAndRefusalsAreDeskErrors() {
        String sessionId = handOffToSarah();
        sarah.send(DeskClient.command("desk.note").put("request_id", "n1").put("session_id", sessionId).put("text", NOTE));
        JsonNode pushed = sarah.next("desk.note");
        assertThat(pushed.path("note").path("text").asText()).isEqualTo(NOTE);
        assertThat(pushed.path("note").path("author").path("name").asText()).isEqualTo("Sarah");

        sarah.send(DeskClient.command("desk.note").put("request_id", "n2").put("session_id", sessionId).put("text", " "));
        JsonNode empty = sarah.next("desk.error");
        assertThat(empty.path("message").asText()).isEqualTo("text must not be empty");
        assertThat(empty.path("request_id").asText()).isEqualTo("n2");
        sarah.send(DeskClient.command("desk.note").put("session_id", sessionId).put("text", "x".repeat(4001)));
        assertThat(sarah.next("desk.error").path("message").asText()).isEqualTo("text longer than 4000 characters");

        try (DeskClient tom = node.connectDesk(node.desk().token("Tom", DeskTestNode.PASSWORD))) {
            tom.send(DeskClient.command("desk.note").put("request_id", "t1").put("session_id", sessionId).put("text", "hi"));
            JsonNode error = tom.next("desk.error");
            assertThat(error.path("message").asText()).isEqualTo("conversation not assigned to you");
            assertThat(error.path("request_id").asText()).isEqualTo("t1");
        }
        assertThat(DeskHttp.json(get(sessionId, sarahToken)).path("notes")).hasSize(1);
    }

    @Test
    void theCustomerNeverReceivesANoteNeitherLiveNorInAReplayFromTheStart() {
        String sessionId = handOffToSarah();
        assertThat(post(sessionId, sarahToken, textBody(NOTE)).statusCode()).isEqualTo(201);
        sarah.send(DeskClient.command("desk.note").put("session_id", sessionId).put("text", NOTE + " again"));
        sarah.next("desk.note");
        sarah.next("desk.note"); // both stored and pushed to the desk
        sarah.send(DeskClient.command("desk.send").put("session_id", sessionId).put("text", "Hi, I'm Sarah."));
        JsonNode message = user.next("EVENT_TYPE_LIVE_AGENT_MESSAGE");
        assertThat(user.raw(message)).doesNotContain("note-7781");
        user.assertNoMoreEvents();

        WsClient again = user.reconnect(node.baseUrl(), "0");
        List<String> frames = new ArrayList<>();
        frames.add(again.raw(again.next("EVENT_TYPE_EVENT_BATCH"))); // the whole history, verbatim
        again.drain().forEach(e -> frames.add(again.raw(e)));
        again.close();
        assertThat(frames).anyMatch(f -> f.contains("Hi, I'm Sarah."));
        assertThat(frames).noneMatch(f -> f.contains("note-7781"));
        String transcript = node.desk().call("GET", "/desk/api/conversations/" + sessionId + "/transcript", sarahToken, null)
                .body();
        assertThat(transcript).as("the desk's event transcript is the journal: no notes").doesNotContain("note-7781");
    }

    @Test
    void afterATransferTheNewAgentReadsTheNotesAndTheFormerOneCannot() {
        String sessionId = handOffToSarah();
        post(sessionId, sarahToken, textBody(NOTE));
        String tomToken = node.desk().token("Tom", DeskTestNode.PASSWORD);
        try (DeskClient tom = node.connectDesk(tomToken)) {
            tom.next("desk.snapshot");
            sarah.send(DeskClient.command("desk.transfer").put("session_id", sessionId).put("queue", "sales"));
            sarah.next("desk.unassigned");
            assertThat(node.desk().call("POST", "/desk/api/claim", tomToken, "{\"session_id\":\"" + sessionId + "\"}")
                    .statusCode()).isEqualTo(200);
            tom.next("desk.assigned");

            assertThat(DeskHttp.json(get(sessionId, tomToken)).path("notes").get(0).path("text").asText()).isEqualTo(NOTE);
            assertThat(get(sessionId, sarahToken).statusCode()).isEqualTo(404);
            assertThat(post(sessionId, tomToken, textBody("taken over")).statusCode()).isEqualTo(201);
            assertThat(tom.next("desk.note").path("note").path("author").path("name").asText()).isEqualTo("Tom");
        }
    }

    @Test
    void theOperatorTranscriptMarksNotesInternalInJsonOnlyAndErasureDeletesThem() {
        String sessionId = handOffToSarah();
        post(sessionId, sarahToken, textBody(NOTE));
        String key = operatorKey();

        JsonNode json = DeskHttp.json(operator("/api/v1/operator/sessions/" + sessionId + "/transcript", key));
        assertThat(json.path("internal_notes")).hasSize(1);
        assertThat(json.path("internal_notes").get(0).path("text").asText()).isEqualTo(NOTE);
        assertThat(json.path("internal_notes").get(0).path("author").path("name").asText()).isEqualTo("Sarah");
        assertThat(json.path("lines").toString() + json.path("events")).doesNotContain("note-7781");
        for (String format : new String[] {"text", "html"}) {
            assertThat(operator("/api/v1/operator/sessions/" + sessionId + "/transcript?format=" + format, key).body())
                    .as(format).doesNotContain("note-7781");
        }

        HttpResponse<String> erased = operatorCall("DELETE", "/api/v1/operator/sessions/" + sessionId, key);
        assertThat(erased.statusCode()).as(erased.body()).isEqualTo(200);
        Frames.readUntil(user, f -> Frames.type(f).equals("EVENT_TYPE_SESSION_END"));
        try (dev.parley.server.store.NodeStore store = dev.parley.server.testing.TestStores.open(node.server().dataDir())) {
            assertThat(store.notes().bySession(sessionId)).isEmpty();
        }
        assertThat(get(sessionId, sarahToken).statusCode()).isEqualTo(404);
    }

    /** An operator API key, issued as an operator would, with the admin CLI on the node's store. */
    private String operatorKey() {
        dev.parley.server.cli.CliContext context = new dev.parley.server.cli.CliContext(
                c -> dev.parley.server.testing.TestStores.open(c.dataDir()),
                new dev.parley.server.config.ConfigLoader(dir.resolve("cli.yaml")),
                java.util.Map.of("PARLEY_DATA_DIR", node.server().dataDir().toString()), java.time.Clock.systemUTC(),
                new java.security.SecureRandom());
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine cli = dev.parley.server.cli.ParleyCommand.commandLine(context);
        cli.setOut(new java.io.PrintWriter(out, true));
        assertThat(cli.execute("admin", "api-key", "issue", "--name", "notes-test")).isZero();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Key: (pok_\\S+)").matcher(out.toString());
        assertThat(m.find()).isTrue();
        // Keys are read from the store at most every 250 ms: wait until this node knows the new one.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15))
                .until(() -> operator("/api/v1/operator/sessions", m.group(1)).statusCode() == 200);
        return m.group(1);
    }

    private HttpResponse<String> operator(String path, String key) {
        return operatorCall("GET", path, key);
    }

    private HttpResponse<String> operatorCall(String method, String path, String key) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(node.baseUrl() + path)).header("Authorization", "Bearer " + key)
                    .method(method, java.net.http.HttpRequest.BodyPublishers.noBody())
                    .timeout(java.time.Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anEndedConversationOpensInTheHistoryWithItsNotes() {
        String sessionId = handOffToSarah();
        post(sessionId, sarahToken, textBody(NOTE));
        post(sessionId, sarahToken, textBody("second"));
        sarah.send(DeskClient.command("desk.end").put("session_id", sessionId));
        sarah.next("desk.unassigned");
        Frames.readUntil(user, f -> Frames.type(f).equals("EVENT_TYPE_SESSION_END"));

        JsonNode history = DeskHttp.json(node.desk().call("GET", "/desk/api/history/" + sessionId, sarahToken, null));
        JsonNode notes = history.path("notes");
        assertThat(notes).hasSize(2);
        assertThat(notes.get(0).path("text").asText()).isEqualTo(NOTE);
        assertThat(notes.get(0).path("author").path("name").asText()).isEqualTo("Sarah");
        assertThat(notes.get(1).path("text").asText()).isEqualTo("second");
        assertThat(history.path("lines").toString()).doesNotContain("note-7781");
        assertThat(get(sessionId, sarahToken).statusCode()).as("no longer assigned: the history is the way").isEqualTo(404);
    }
}
