package dev.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.BothStores;
import dev.parley.server.testing.ParleyTest;
import dev.parley.server.testing.Rest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A session id is the capability to resume its session (PROTOCOL.md §13.18), so no id a client sees
 * may lead to another session's id (issue 9, §13.24): session ids are random UUIDv4, and the UUIDv7
 * event and message ids share nothing but their millisecond.
 */
@ParleyTest
@BothStores
class UnguessableIdsTest {
    /** Two fresh 74-bit random parts lie closer than this with probability about 2^-41. */
    private static final BigInteger SMALL = BigInteger.ONE.shiftLeft(32);

    static TestServer server;

    @Test
    void sessionsCreatedBackToBackHaveRandomVersion4IdsAndNoIdTheirClientsSeeLiesNextToAnother() {
        Rest rest = server.rest();
        String token = rest.accessToken();
        String first = rest.createSession(token, false);
        String second = rest.createSession(token, false);

        for (String sessionId : List.of(first, second)) {
            UUID id = UUID.fromString(sessionId);
            assertThat(id.version()).as("version of session id %s", sessionId).isEqualTo(4);
            assertThat(id.variant()).as("variant of session id %s", sessionId).isEqualTo(2);
        }
        assertThat(first.substring(0, 8)).as("leading bits of two session ids").isNotEqualTo(second.substring(0, 8));

        List<UUID> seen = new ArrayList<>();
        seen.add(UUID.fromString(first));
        seen.add(UUID.fromString(second));
        seen.addAll(idsSeenInAConversation(first, token));
        seen.addAll(idsSeenInAConversation(second, token));

        List<UUID> timeOrdered = seen.stream().filter(id -> id.version() == 7).toList();
        assertThat(timeOrdered).as("event and message ids seen").hasSizeGreaterThan(10);
        for (int i = 0; i < seen.size(); i++) {
            for (int j = i + 1; j < seen.size(); j++) {
                UUID a = seen.get(i);
                UUID b = seen.get(j);
                if (a.version() == 7 && b.version() == 7) {
                    assertThat(randomPart(a).subtract(randomPart(b)).abs())
                            .as("distance between the random parts of %s and %s", a, b).isGreaterThan(SMALL);
                }
            }
        }
    }

    /** Every {@code id} and {@code message_id} one client sees in a join and one turn, as UUIDs. */
    private static List<UUID> idsSeenInAConversation(String sessionId, String token) {
        List<JsonNode> frames = new ArrayList<>();
        try (WsClient ws = WsClient.connect(server.baseUrl(), sessionId, token, null)) {
            frames.add(ws.next("EVENT_TYPE_EVENT_BATCH"));
            ws.join();
            collectUntil(ws, "EVENT_TYPE_POLY_AGENT_MESSAGE", frames);
            ws.say("What are your opening hours?");
            collectUntil(ws, "EVENT_TYPE_POLY_AGENT_MESSAGE", frames);
        }
        List<UUID> ids = new ArrayList<>();
        frames.forEach(frame -> collectIds(frame, ids));
        return ids;
    }

    private static void collectUntil(WsClient ws, String type, List<JsonNode> frames) {
        JsonNode frame;
        do {
            frame = ws.next();
            frames.add(frame);
        } while (!frame.path("type").asText().equals(type));
    }

    private static void collectIds(JsonNode node, List<UUID> into) {
        node.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            if (field.getKey().equals("id") && value.isTextual()) {
                into.add(UUID.fromString(value.textValue()));
            } else if (field.getKey().equals("message_id") && value.isTextual()) {
                into.add(fromMessageId(value.textValue()));
            } else if (value.isContainerNode()) {
                if (value.isArray()) {
                    value.forEach(element -> collectIds(element, into));
                } else {
                    collectIds(value, into);
                }
            }
        });
    }

    private static UUID fromMessageId(String messageId) {
        assertThat(messageId).matches("msg_[0-9a-f]{32}");
        String hex = messageId.substring(4);
        return UUID.fromString(hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20));
    }

    /** rand_a (12 bits) followed by rand_b (62 bits) of a UUIDv7. */
    private static BigInteger randomPart(UUID id) {
        long randA = id.getMostSignificantBits() & 0x0FFFL;
        long randB = id.getLeastSignificantBits() & 0x3FFF_FFFF_FFFF_FFFFL;
        return BigInteger.valueOf(randA).shiftLeft(62).or(BigInteger.valueOf(randB));
    }
}
