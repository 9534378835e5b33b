package dev.parley.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.Attachment;
import dev.parley.protocol.AttachmentContentType;
import dev.parley.protocol.Capabilities;
import dev.parley.protocol.EndReason;
import dev.parley.protocol.HandoffReason;
import dev.parley.protocol.LiveAgent;
import dev.parley.protocol.RawJson;
import dev.parley.protocol.ServerEvent;
import dev.parley.protocol.Suggestion;
import dev.parley.protocol.TypingState;
import dev.parley.protocol.payload.*;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ServerEventDecoderTest {
    private static final Instant T = Instant.parse("2024-02-12T12:00:00.123Z");

    static Stream<ServerPayload> everyPayload() {
        List<Attachment> cards = List.of(new Attachment("t", "https://p", "https://c",
                AttachmentContentType.ATTACHMENT_CONTENT_TYPE_IMAGE, "Open"));
        List<Suggestion> tips = List.of(Suggestion.of("yes"));
        return Stream.of(new PolyAgentJoined("Ada", "https://a"), new PolyAgentThinking(),
                new PolyAgentMessage("msg_1", "hi", cards, tips),
                new PolyAgentMessageChunk("msg_1", "hi", cards, tips, 2, true), new PolyAgentLeft(),
                new PolyAgentTriggeredHandoff(), new LiveAgentJoined(new LiveAgent("a1", "Sarah", "https://s")),
                new LiveAgentTyping(TypingState.TYPING_STATE_STARTED, "a1"),
                new LiveAgentMessage("msg_2", "a1", "hello", cards, tips), new LiveAgentLeft(), new HandoffAccepted(),
                new HandoffQueueStatus("Support", 3, 180), new ClientHandoffRequired(HandoffReason.POLICY, "q"),
                new HandoffFailed(), new HandoffTimeout(), new SessionStart(Capabilities.of(true, 30)),
                new SessionEnd(EndReason.REASON_NATURAL_END), SystemMessage.error("m", "d"), new LanguageChanged("fr-FR"),
                new UserMessageEcho("hi", "msg_3"), new RequestAgentJoinEcho(), new UserEndSessionEcho(), new HeartbeatEcho());
    }

    @ParameterizedTest
    @MethodSource("everyPayload")
    void everyServerEventSurvivesEncodeThenDecode(ServerPayload payload) {
        ServerEvent event = new ServerEvent("id-1", 7L, T, payload, RawJson.of("{\"custom\":{\"k\":\"v\"}}"));
        ServerFrame frame = ServerEventDecoder.decode(ServerEventEncoder.encode(event)).orElseThrow();
        assertThat(frame).isEqualTo(new ServerFrame.Single(event));
    }

    @Test
    void batchIsFlattenedInOrder() {
        String a = ServerEventEncoder.encode(new ServerEvent("a", 1L, T, new SessionStart(Capabilities.of(false, 30)), null));
        String b = ServerEventEncoder.encode(new ServerEvent("b", 2L, T, new RequestAgentJoinEcho(), null));
        ServerFrame frame = ServerEventDecoder.decode(ServerEventEncoder.encodeBatch("x", T, List.of(a, b))).orElseThrow();
        assertThat(frame).isInstanceOf(ServerFrame.Batch.class);
        assertThat(((ServerFrame.Batch) frame).events()).extracting(ServerEvent::id).containsExactly("a", "b");
    }

    @Test
    void unreadableFramesGiveNothing() {
        assertThat(ServerEventDecoder.decode("nope")).isEmpty();
        assertThat(ServerEventDecoder.decode("{\"type\":\"EVENT_TYPE_FUTURE\",\"payload\":{}}")).isEmpty();
    }
}
