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
    void withoutAClientEventIdTheOfficialSdksLocalIdIsTheIdempotencyKey() {
        UserMessage message = (UserMessage) accepted("{\"type\":\"EVENT_TYPE_USER_MESSAGE\","
                + "\"metadata\":{\"custom\":{\"local_id\":\"L-1\"}},\"payload\":{\"text\":\"hi\"}}");
        assertThat(message.clientEventId()).contains("L-1");
    }

    @Test
    void aClientEventIdWinsOverALocalIdAndAnEmptyOneCountsAsAbsent() {
        UserMessage both = (UserMessage) accepted("{\"type\":\"EVENT_TYPE_USER_MESSAGE\","
                + "\"metadata\":{\"custom\":{\"local_id\":\"L-1\",\"client_event_id\":\"C-1\"}},"
                + "\"payload\":{\"text\":\"hi\"}}");
        UserMessage empty = (UserMessage) accepted("{\"type\":\"EVENT_TYPE_USER_MESSAGE\","
                + "\"metadata\":{\"custom\":{\"client_event_id\":\"\",\"local_id\":\"L-2\"}},"
                + "\"payload\":{\"text\":\"hi\"}}");
        UserMessage neither = (UserMessage) accepted("{\"type\":\"EVENT_TYPE_USER_MESSAGE\","
                + "\"metadata\":{\"custom\":{\"local_id\":{\"x\":1}}},\"payload\":{\"text\":\"hi\"}}");

        assertThat(both.clientEventId()).contains("C-1");
        assertThat(empty.clientEventId()).contains("L-2");
        assertThat(neither.clientEventId()).isEmpty();
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

    /** §11.5: the error answering a frame carries that frame's metadata, byte for byte, whatever was wrong. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{\"type\":5,\"payload\":{},\"metadata\":META}",
            "{\"metadata\":META,\"type\":5}",
            "{\"type\":{\"nested\":[1,{\"type\":\"EVENT_TYPE_HEARTBEAT\"}]},\"metadata\":META}",
            "{\"type\":[\"EVENT_TYPE_HEARTBEAT\"],\"metadata\":META,\"payload\":{}}",
            "{\"type\":null,\"metadata\":META}",
            "{\"type\":true,\"payload\":\"x\",\"metadata\":META}",
            "{\"type\":\"EVENT_TYPE_HEARTBEAT\",\"type\":7,\"metadata\":META}",
    })
    void aTypeThatIsNotAStringIsRejectedWithTheFramesMetadata(String template) {
        String metadata = "{ \"custom\" : {\"client_event_id\":\"c-9\", \"n\": 1.50e3, \"type\":[2]} }";
        Decoded.Rejected r = rejected(template.replace("META", metadata));
        assertThat(r.message()).isEqualTo(ErrorMessages.INVALID_FORMAT);
        assertThat(r.detail()).isEqualTo("\"type\" must be a string");
        assertThat(r.metadata()).as("metadata of the rejected frame").isNotNull();
        assertThat(r.metadata().json()).isEqualTo(metadata);
    }

    @Test
    void aStringTypeAfterABadOneIsTheOneThatCounts() {
        assertThat(accepted("{\"type\":5,\"type\":\"EVENT_TYPE_HEARTBEAT\",\"metadata\":{\"k\":1}}"))
                .isInstanceOf(Heartbeat.class);
    }

    /** Every rejection of a well-formed object whose metadata is an object carries that metadata. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{\"metadata\":META,\"payload\":{}}",
            "{\"metadata\":META,\"type\":\"EVENT_TYPE_NOPE\"}",
            "{\"metadata\":META,\"type\":\"EVENT_TYPE_POLY_AGENT_MESSAGE\"}",
            "{\"metadata\":META,\"type\":\"EVENT_TYPE_HEARTBEAT\",\"payload\":[1]}",
            "{\"metadata\":META,\"type\":\"EVENT_TYPE_USER_MESSAGE\",\"payload\":{\"text\":5}}",
            "{\"metadata\":META,\"type\":\"EVENT_TYPE_USER_MESSAGE\",\"payload\":{}}",
            "{\"metadata\":META,\"type\":\"EVENT_TYPE_USER_MESSAGE\",\"payload\":{\"text\":\" \"}}",
            "{\"metadata\":META,\"type\":\"EVENT_TYPE_USER_TYPING\",\"payload\":{\"state\":1}}",
            "{\"metadata\":META,\"type\":\"EVENT_TYPE_USER_TYPING\",\"payload\":{\"state\":\"NAPPING\"}}",
    })
    void everyOtherRejectionOfAWellFormedObjectCarriesItsMetadata(String template) {
        String metadata = "{\"custom\":{\"client_event_id\":\"c-10\"}}";
        Decoded.Rejected r = rejected(template.replace("META", metadata));
        assertThat(r.metadata()).as("metadata of the rejected frame").isNotNull();
        assertThat(r.metadata().json()).isEqualTo(metadata);
    }

    /**
     * No metadata where none can be read: a frame that is not one well-formed JSON object has no
     * fields to speak of, and a {@code metadata} that is not an object is itself the fault.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "[{\"type\":\"EVENT_TYPE_HEARTBEAT\",\"metadata\":{\"k\":1}}]",
            "{\"metadata\":{\"k\":1},\"type\":",
            "{\"metadata\":{\"k\":1},\"type\":\"EVENT_TYPE_HEARTBEAT\"} {}",
            "{\"type\":5,\"metadata\":[{\"k\":1}]}",
    })
    void framesWithoutReadableMetadataAreRejectedWithoutMetadata(String frame) {
        Decoded.Rejected r = rejected(frame);
        assertThat(r.message()).isEqualTo(ErrorMessages.INVALID_FORMAT);
        assertThat(r.metadata()).isNull();
    }

    @org.junit.jupiter.api.Test
    void oversizedMetadataIsRejectedSoThatEchoesStayWithinOneFrame() {
        String big = "{\"custom\":{\"blob\":\"" + "x".repeat(dev.parley.protocol.Limits.MAX_METADATA_CHARS) + "\"}}";
        Decoded.Rejected r = rejected("{\"type\":\"EVENT_TYPE_HEARTBEAT\",\"payload\":{},\"metadata\":" + big + "}");
        assertThat(r.detail()).contains("metadata");
        assertThat(r.metadata()).isNull();
    }
}
