package dev.parley.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ChatCallAction;
import dev.parley.protocol.HandoffReason;
import dev.parley.protocol.ServerEvent;
import dev.parley.protocol.TypingState;
import dev.parley.protocol.payload.ClientHandoffRequired;
import dev.parley.protocol.payload.HandoffAccepted;
import dev.parley.protocol.payload.HandoffFailed;
import dev.parley.protocol.payload.HandoffQueueStatus;
import dev.parley.protocol.payload.HandoffTimeout;
import dev.parley.protocol.payload.LiveAgentLeft;
import dev.parley.protocol.payload.LiveAgentTyping;
import dev.parley.protocol.payload.PolyAgentLeft;
import dev.parley.protocol.payload.PolyAgentMessage;
import dev.parley.protocol.payload.ServerPayload;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The additive extension fields (issue 12): absent, the documented payload is exactly as before. */
class ExtensionFieldsCodecTest {
    private static final Instant T = Instant.parse("2024-02-12T12:00:00Z");

    private static String payload(ServerPayload payload) throws Exception {
        return Json.MAPPER.readTree(ServerEventEncoder.encode(new ServerEvent("id", 1L, T, payload, null)))
                .get("payload").toString();
    }

    private static ServerPayload roundTrip(ServerPayload payload) {
        ServerFrame frame = ServerEventDecoder.decode(ServerEventEncoder.encode(new ServerEvent("id", 1L, T, payload, null)))
                .orElseThrow();
        return ((ServerFrame.Single) frame).event().payload();
    }

    @Test
    void withoutExtensionsTheDocumentedPayloadsKeepTheirExactShape() throws Exception {
        assertThat(payload(new LiveAgentLeft())).isEqualTo("{}");
        assertThat(payload(new PolyAgentLeft())).isEqualTo("{}");
        assertThat(payload(new HandoffAccepted())).isEqualTo("{}");
        assertThat(payload(new HandoffFailed())).isEqualTo("{}");
        assertThat(payload(new HandoffTimeout())).isEqualTo("{}");
        assertThat(payload(new HandoffQueueStatus("support", 3, 180)))
                .isEqualTo("{\"queue_name\":\"support\",\"position_in_queue\":3,\"estimated_wait_seconds\":180}");
        assertThat(payload(new ClientHandoffRequired(HandoffReason.COMPLEX_QUERY, "support")))
                .isEqualTo("{\"reason\":\"COMPLEX_QUERY\",\"queue_name\":\"support\"}");
        assertThat(payload(new LiveAgentTyping(TypingState.TYPING_STATE_STARTED, "agent_42")))
                .isEqualTo("{\"state\":\"TYPING_STATE_STARTED\",\"agent_id\":\"agent_42\"}");
        assertThat(payload(new PolyAgentMessage("msg_1", "Hi", List.of(), List.of())))
                .isEqualTo("{\"message_id\":\"msg_1\",\"text\":\"Hi\",\"attachments\":[],\"response_suggestions\":[]}");
    }

    @Test
    void extensionsUseTheFieldNamesTheOfficialSdksDecodeAndSurviveTheJournalsDecoder() throws Exception {
        PolyAgentMessage message = new PolyAgentMessage("msg_1", "Call us", List.of(), List.of(), "Ada",
                "https://example.com/ada.png", List.of(ChatCallAction.of("Call", "+1 555 0100")), true);

        assertThat(payload(message)).isEqualTo("{\"message_id\":\"msg_1\",\"text\":\"Call us\",\"attachments\":[],"
                + "\"response_suggestions\":[],\"agent_name\":\"Ada\",\"avatar_url\":\"https://example.com/ada.png\","
                + "\"chat_call_actions\":[{\"title\":\"Call\",\"contact_number\":\"+1 555 0100\"}],\"end_conversation\":true}");
        assertThat(roundTrip(message)).isEqualTo(message);
        LiveAgentLeft left = new LiveAgentLeft("agt_1", "Sarah", "The agent ended the conversation.");
        assertThat(payload(left)).isEqualTo(
                "{\"agent_id\":\"agt_1\",\"agent_name\":\"Sarah\",\"reason\":\"The agent ended the conversation.\"}");
        assertThat(roundTrip(left)).isEqualTo(left);
        HandoffQueueStatus status = new HandoffQueueStatus("support", 1, 0, "You are next in the queue for support.");
        assertThat(roundTrip(status)).isEqualTo(status);
        assertThat(roundTrip(new ClientHandoffRequired(HandoffReason.POLICY, "phone", "tel:+1555")))
                .isEqualTo(new ClientHandoffRequired(HandoffReason.POLICY, "phone", "tel:+1555"));
    }
}
