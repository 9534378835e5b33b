package dev.parley.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ErrorMessages;
import dev.parley.protocol.TypingState;
import dev.parley.protocol.client.Heartbeat;
import dev.parley.protocol.client.RequestAgentJoin;
import dev.parley.protocol.client.UserEndSession;
import dev.parley.protocol.client.UserMessage;
import dev.parley.protocol.client.UserTyping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClientEventDecoderTest {
    private final ClientEventDecoder decoder = new ClientEventDecoder(20);

    private Decoded.Rejected rejected(String frame) {
        Decoded decoded = decoder.decode(frame);
        assertThat(decoded).isInstanceOf(Decoded.Rejected.class);
        return (Decoded.Rejected) decoded;
    }

    private Object accepted(String frame) {
        Decoded decoded = decoder.decode(frame);
        assertThat(decoded).isInstanceOf(Decoded.Accepted.class);
        return ((Decoded.Accepted) decoded).event();
    }

    @Test
    void allFiveClientTypesDecode() {
        assertThat(accepted("{\"type\":\"EVENT_TYPE_REQUEST_POLY_AGENT_JOIN\",\"payload\":{}}")).isInstanceOf(RequestAgentJoin.class);
        assertThat(accepted("{\"type\":\"EVENT_TYPE_USER_MESSAGE\",\"payload\":{\"text\":\"hi\"}}"))
                .isEqualTo(new UserMessage("hi", null, null));
        assertThat(accepted("{\"type\":\"EVENT_TYPE_USER_TYPING\",\"payload\":{\"state\":\"TYPING_STATE_STOPPED\"}}"))
                .isEqualTo(new UserTyping(TypingState.TYPING_STATE_STOPPED, null, null));
        assertThat(accepted("{\"type\":\"EVENT_TYPE_USER_END_SESSION\",\"payload\":{}}")).isInstanceOf(UserEndSession.class);
        assertThat(accepted("{\"type\":\"EVENT_TYPE_HEARTBEAT\",\"payload\":{}}")).isInstanceOf(Heartbeat.class);
    }

    @Test
    void metadataIsKeptByteForByteAndClientEventIdIsRead() {
        String metadata = "{ \"custom\" : {\"client_event_id\":\"abc\", \"n\": 1.50e3, \"nested\":[1,{\"x\":null}]} }";
        UserMessage message = (UserMessage) accepted(
                "{\"type\":\"EVENT_TYPE_USER_MESSAGE\",\"metadata\":" + metadata + ",\"payload\":{\"text\":\"hi\"}}");
        assertThat(message.metadata().json()).isEqualTo(metadata);
        assertThat(message.clientEventId()).contains("abc");
    }

    @Test
    void clientSuppliedEnvelopeFieldsAndUnknownFieldsAreIgnored() {
        assertThat(accepted("{\"id\":\"x\",\"sequence\":99,\"timestamp\":\"t\",\"extra\":{\"a\":[1]},"
                + "\"type\":\"EVENT_TYPE_HEARTBEAT\",\"payload\":{\"what\":1}}")).isInstanceOf(Heartbeat.class);
    }

    @Test
    void serverOnlyTypeIsNotAllowedAndNamesTheType() {
        Decoded.Rejected r = rejected("{\"type\":\"EVENT_TYPE_POLY_AGENT_MESSAGE\",\"payload\":{},\"metadata\":{\"custom\":{\"k\":1}}}");
        assertThat(r.message()).isEqualTo("Event type not allowed: EVENT_TYPE_POLY_AGENT_MESSAGE");
        assertThat(r.metadata().json()).isEqualTo("{\"custom\":{\"k\":1}}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "not json at all|malformed JSON",
            "[1,2]|not a JSON object",
            "{\"payload\":{}}|missing \"type\"",
            "{\"type\":42,\"payload\":{}}|\"type\" must be a string",
            "{\"type\":\"EVENT_TYPE_NOPE\",\"payload\":{}}|unknown type",
            "{\"type\":\"USER_MESSAGE\",\"payload\":{\"text\":\"a\"}}|unknown type",
            "{\"type\":\"EVENT_TYPE_USER_MESSAGE\",\"payload\":{}}|payload.text is required",
            "{\"type\":\"EVENT_TYPE_USER_MESSAGE\",\"payload\":{\"text\":5}}|payload.text must be a string",
            "{\"type\":\"EVENT_TYPE_USER_MESSAGE\",\"payload\":{\"text\":\"  \"}}|must not be empty",
            "{\"type\":\"EVENT_TYPE_USER_MESSAGE\",\"payload\":{\"text\":\"123456789012345678901\"}}|longer than 20",
            "{\"type\":\"EVENT_TYPE_USER_MESSAGE\",\"payload\":\"hi\"}|must be a JSON object",
            "{\"type\":\"EVENT_TYPE_USER_TYPING\",\"payload\":{\"state\":\"SLEEPING\"}}|unknown payload.state",
            "{\"type\":\"EVENT_TYPE_USER_TYPING\",\"payload\":{}}|payload.state must be",
            "{\"type\":\"EVENT_TYPE_HEARTBEAT\",\"payload\":{},\"metadata\":[1]}|\"metadata\" must be a JSON object",
            "{\"type\":\"EVENT_TYPE_HEARTBEAT\",\"payload\":{}} {}|unexpected content",
            "{\"type\":\"EVENT_TYPE_HEARTBEAT\",\"payload\":{}} trailing|malformed JSON",
    })
    void invalidFramesAreRejectedWithTheDocumentedMessageAndADetail(String frame, String detailPart) {
        Decoded.Rejected r = rejected(frame);
        assertThat(r.message()).isEqualTo(ErrorMessages.INVALID_FORMAT);
        assertThat(r.detail()).contains(detailPart);
    }

    @ParameterizedTest
    @ValueSource(strings = {"EVENT_TYPE_HEARTBEAT", "EVENT_TYPE_REQUEST_POLY_AGENT_JOIN", "EVENT_TYPE_USER_END_SESSION"})
    void payloadLessTypesTolerateAMissingPayload(String type) {
        assertThat(decoder.decode("{\"type\":\"" + type + "\"}")).isInstanceOf(Decoded.Accepted.class);
    }

    @org.junit.jupiter.api.Test
    void oversizedMetadataIsRejectedSoThatEchoesStayWithinOneFrame() {
        String big = "{\"custom\":{\"blob\":\"" + "x".repeat(dev.parley.protocol.Limits.MAX_METADATA_CHARS) + "\"}}";
        Decoded.Rejected r = rejected("{\"type\":\"EVENT_TYPE_HEARTBEAT\",\"payload\":{},\"metadata\":" + big + "}");
        assertThat(r.detail()).contains("metadata");
        assertThat(r.metadata()).isNull();
    }
}
