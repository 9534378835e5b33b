package dev.parley.server.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The few messages nodes exchange over the fan-out (issue 11), as small JSON objects:
 * <ul>
 *   <li>on {@code parley.session.<id>}, from the owner after each delivery:
 *       {@code {"head":N,"stored":K,"transient":[frame...],"observers":[frame...]}} — a doorbell, never
 *       the truth; {@code observers} (optional) are for live agents' desks only (a user's typing);</li>
 *   <li>on {@code parley.node.<owner>}: {@code {"kind":"frame","session","origin","conn","frame"}},
 *       a client frame a follower's socket sent;</li>
 *   <li>on {@code parley.node.<origin>}: {@code {"kind":"answer"|"close","session","conn",...}},
 *       what the owner meant for that one socket (errors, refusals, a duplicate's original echo);</li>
 *   <li>on {@code parley.node.<owner>}: {@code {"kind":"desk","session","frame":<DeskToSession JSON>}},
 *       what the desk leader or an agent's desk on another node tells the session.</li>
 * </ul>
 */
final class FanOutMessages {
    private static final ObjectMapper JSON = new ObjectMapper();

    static String sessionTopic(String sessionId) {
        return "parley.session." + sessionId;
    }

    static String nodeTopic(String nodeId) {
        return "parley.node." + nodeId;
    }

    /** {@code stored}: events of this delivery, ending at {@code head}; 0 from a node that does not say. */
    record Doorbell(long head, int stored, List<String> transientFrames, List<String> observerFrames) {
    }

    /** A message on a node topic: a forwarded client frame, an answer, or a close for one socket. */
    record ToNode(String kind, String session, String origin, String conn, String frame, int code) {
        static final String FRAME = "frame";
        static final String ANSWER = "answer";
        static final String CLOSE = "close";
        /** A desk command for the session's actor ({@link DeskToSession} in {@code frame}). */
        static final String DESK = "desk";
    }

    private FanOutMessages() {
    }

    static String doorbell(long head, int stored, List<String> transientFrames, List<String> observerFrames) {
        ObjectNode node = JSON.createObjectNode().put("head", head).put("stored", stored);
        transientFrames.forEach(node.putArray("transient")::add);
        if (!observerFrames.isEmpty()) {
            observerFrames.forEach(node.putArray("observers")::add);
        }
        return node.toString();
    }

    static Optional<Doorbell> readDoorbell(String message) {
        return parse(message).map(node -> {
            List<String> frames = new ArrayList<>();
            node.path("transient").forEach(f -> frames.add(f.asText()));
            List<String> forDesks = new ArrayList<>();
            node.path("observers").forEach(f -> forDesks.add(f.asText()));
            return new Doorbell(node.path("head").asLong(), node.path("stored").asInt(), frames, forDesks);
        });
    }

    static String toNode(ToNode message) {
        ObjectNode node = JSON.createObjectNode().put("kind", message.kind()).put("session", message.session())
                .put("origin", message.origin()).put("conn", message.conn()).put("frame", message.frame())
                .put("code", message.code());
        return node.toString();
    }

    static Optional<ToNode> readToNode(String message) {
        return parse(message).map(n -> new ToNode(n.path("kind").asText(), n.path("session").asText(),
                n.path("origin").asText(), n.path("conn").asText(), n.path("frame").asText(null), n.path("code").asInt()));
    }

    /** A message from another version or a broken link is ignored: the periodic head check covers it. */
    private static Optional<JsonNode> parse(String message) {
        try {
            return Optional.of(JSON.readTree(message));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }
}
