package dev.parley.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.Attachment;
import dev.parley.protocol.AttachmentContentType;
import dev.parley.protocol.Capabilities;
import dev.parley.protocol.RawJson;
import dev.parley.protocol.ServerEvent;
import dev.parley.protocol.Suggestion;
import dev.parley.protocol.payload.HandoffQueueStatus;
import dev.parley.protocol.payload.PolyAgentMessageChunk;
import dev.parley.protocol.payload.PolyAgentThinking;
import dev.parley.protocol.payload.SessionStart;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerEventEncoderTest {
    private static final Instant T = Instant.parse("2024-02-12T12:00:00.123456Z");

    private static JsonNode tree(String json) throws Exception {
        return Json.MAPPER.readTree(json);
    }

    @Test
    void envelopeHasIdSequenceMillisecondTimestampTypeAndPayload() throws Exception {
        JsonNode e = tree(ServerEventEncoder.encode(new ServerEvent("id-1", 1L, T,
                new SessionStart(Capabilities.of(true, 30)), null)));
        assertThat(e.get("id").asText()).isEqualTo("id-1");
        assertThat(e.get("sequence").asLong()).isEqualTo(1);
        assertThat(e.get("timestamp").asText()).isEqualTo("2024-02-12T12:00:00.123Z");
        assertThat(e.get("type").asText()).isEqualTo("EVENT_TYPE_SESSION_START");
        assertThat(e.get("payload").get("capabilities").toString()).isEqualTo(
                "{\"streaming\":true,\"max_message_size_bytes\":131072,\"max_reconnect_attempts\":5,\"heartbeat_interval_seconds\":30}");
        assertThat(e.has("metadata")).isFalse();
    }

    @Test
    void transientEventHasNullSequenceAndEmptyPayload() throws Exception {
        String json = ServerEventEncoder.encode(new ServerEvent("id", null, T, new PolyAgentThinking(), null));
        assertThat(json).contains("\"sequence\":null").contains("\"payload\":{}");
    }

    @Test
    void metadataIsWrittenVerbatim() {
        String raw = "{ \"custom\": {\"n\": 1.50e3} }";
        String json = ServerEventEncoder.encode(new ServerEvent("id", null, T, new PolyAgentThinking(), RawJson.of(raw)));
        assertThat(json).endsWith("\"metadata\":" + raw + "}");
    }

    @Test
    void chunkUsesSnakeCaseFieldNamesOfTheProtocol() throws Exception {
        JsonNode p = tree(ServerEventEncoder.encode(new ServerEvent("id", 3L, T, new PolyAgentMessageChunk("msg_1", "Hi ",
                List.of(new Attachment("t", "https://x/p.png", "https://x", AttachmentContentType.ATTACHMENT_CONTENT_TYPE_URL, "Go")),
                List.of(Suggestion.of("yes")), 1, false), null))).get("payload");
        assertThat(p.get("message_id").asText()).isEqualTo("msg_1");
        assertThat(p.get("chunk_index").asInt()).isEqualTo(1);
        assertThat(p.get("is_complete").asBoolean()).isFalse();
        assertThat(p.get("response_suggestions").get(0).get("message_text").asText()).isEqualTo("yes");
        JsonNode a = p.get("attachments").get(0);
        assertThat(a.get("preview_image_url").asText()).isEqualTo("https://x/p.png");
        assertThat(a.get("content_url").asText()).isEqualTo("https://x");
        assertThat(a.get("content_type").asText()).isEqualTo("ATTACHMENT_CONTENT_TYPE_URL");
        assertThat(a.get("call_to_action_text").asText()).isEqualTo("Go");
    }

    @Test
    void optionalQueueFieldsAreLeftOutWhenUnknown() throws Exception {
        JsonNode p = tree(ServerEventEncoder.encode(new ServerEvent("id", 3L, T,
                new HandoffQueueStatus("Support", 2, null), null))).get("payload");
        assertThat(p.get("queue_name").asText()).isEqualTo("Support");
        assertThat(p.get("position_in_queue").asInt()).isEqualTo(2);
        assertThat(p.has("estimated_wait_seconds")).isFalse();
    }

    @Test
    void batchWrapsEncodedEventsVerbatim() throws Exception {
        String inner = ServerEventEncoder.encode(new ServerEvent("a", 1L, T, new PolyAgentThinking(), null));
        JsonNode batch = tree(ServerEventEncoder.encodeBatch("b", T, List.of(inner, inner)));
        assertThat(batch.get("type").asText()).isEqualTo("EVENT_TYPE_EVENT_BATCH");
        assertThat(batch.get("sequence").isNull()).isTrue();
        assertThat(batch.get("payload").get("events")).hasSize(2);
        assertThat(batch.get("payload").get("events").get(0).toString()).isEqualTo(tree(inner).toString());
    }
}
