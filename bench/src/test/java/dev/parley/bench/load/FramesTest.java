package dev.parley.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FramesTest {
    private static final String ECHO = "{\"id\":\"01a2\",\"sequence\":7,\"timestamp\":\"2026-12-01T22:07:11Z\","
            + "\"type\":\"EVENT_TYPE_USER_MESSAGE\",\"payload\":{\"text\":\"hi\",\"message_id\":\"msg_1\"},"
            + "\"metadata\":{\"custom\":{\"client_event_id\":\"c3-12\"}}}";

    @Test
    void echoYieldsItsClientEventIdAndEnvelopeType() {
        assertEquals("c3-12", Frames.clientEventId(ECHO));
        assertEquals("EVENT_TYPE_USER_MESSAGE", Frames.type(ECHO));
    }

    @Test
    void frameWithoutMetadataHasNoClientEventId() {
        assertNull(Frames.clientEventId("{\"type\":\"EVENT_TYPE_POLY_AGENT_THINKING\",\"payload\":{}}"));
    }

    @Test
    void batchYieldsTheSequenceOfItsLastEventNotTheNullOfItsEnvelope() {
        String batch = "{\"id\":\"b\",\"sequence\":null,\"type\":\"EVENT_TYPE_EVENT_BATCH\",\"payload\":{\"events\":["
                + "{\"id\":\"1\",\"sequence\":1600,\"type\":\"EVENT_TYPE_USER_MESSAGE\",\"payload\":{}},"
                + "{\"id\":\"2\",\"sequence\":1601,\"type\":\"EVENT_TYPE_USER_MESSAGE\",\"payload\":{}}]}}";
        assertEquals(1601, Frames.lastSequence(batch));
        assertEquals(-1, Frames.lastSequence("{\"id\":\"t\",\"sequence\":null,\"type\":\"EVENT_TYPE_POLY_AGENT_THINKING\"}"));
    }

    @Test
    void onlyWholeAgentMessagesAndLastChunksCountAsComplete() {
        assertTrue(Frames.isCompleteAgentMessage("{\"type\":\"EVENT_TYPE_POLY_AGENT_MESSAGE\",\"payload\":{}}"));
        assertTrue(Frames.isCompleteAgentMessage(
                "{\"type\":\"EVENT_TYPE_POLY_AGENT_MESSAGE_CHUNK\",\"payload\":{\"is_complete\":true}}"));
        assertFalse(Frames.isCompleteAgentMessage(
                "{\"type\":\"EVENT_TYPE_POLY_AGENT_MESSAGE_CHUNK\",\"payload\":{\"is_complete\":false}}"));
    }

    @Test
    void userMessageCarriesItsIdInCustomMetadata() {
        String frame = Frames.userMessage("hello", "o1-5");
        assertEquals("o1-5", Frames.clientEventId(frame));
        assertEquals("EVENT_TYPE_USER_MESSAGE", Frames.type(frame));
    }
}
