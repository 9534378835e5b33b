package dev.parley.server.webhooks;

import static dev.parley.server.store.TestJournal.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.EventType;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookEventsTest {

    @Test
    void journaledEventsMapToWebhookTypesAndTransientOnesToNone() {
        Map<EventType, String> expected = new EnumMap<>(EventType.class);
        expected.put(EventType.SESSION_START, "session.started");
        expected.put(EventType.SESSION_END, "session.ended");
        expected.put(EventType.POLY_AGENT_TRIGGERED_HANDOFF, "handoff.requested");
        expected.put(EventType.LIVE_AGENT_JOINED, "handoff.assigned");
        expected.put(EventType.LIVE_AGENT_LEFT, "handoff.finished");
        expected.put(EventType.HANDOFF_FAILED, "handoff.finished");
        expected.put(EventType.HANDOFF_TIMEOUT, "handoff.finished");
        expected.put(EventType.USER_MESSAGE, "message.created");
        expected.put(EventType.POLY_AGENT_MESSAGE, "message.created");
        expected.put(EventType.LIVE_AGENT_MESSAGE, "message.created");
        for (EventType type : EventType.values()) {
            var owed = WebhookEvents.of(event("s-1", 4, type, "{\"text\":\"x\"}", null));
            assertThat(owed.map(o -> o.type().wireName())).as(type.name()).isEqualTo(java.util.Optional.ofNullable(expected.get(type)));
        }
    }

    @Test
    void dataCarriesTheProtocolPayloadWithRoleAndOutcome() {
        var message = WebhookEvents.of(event("s-1", 4, EventType.LIVE_AGENT_MESSAGE, "{\"text\":\"Sarah here\"}", null)).orElseThrow();
        assertThat(WebhookDeliveryContractTest.json(message.data()).path("role").asText()).isEqualTo("live_agent");
        assertThat(WebhookDeliveryContractTest.json(message.data()).path("payload").path("text").asText()).isEqualTo("Sarah here");
        assertThat(WebhookDeliveryContractTest.json(message.data()).path("sequence").asLong()).isEqualTo(4);
        var timeout = WebhookEvents.of(event("s-1", 5, EventType.HANDOFF_TIMEOUT, "{}", null)).orElseThrow();
        assertThat(WebhookDeliveryContractTest.json(timeout.data()).path("outcome").asText()).isEqualTo("timeout");
        assertThat(WebhookEventType.fromWireName("csat.given")).contains(WebhookEventType.CSAT_GIVEN);
    }
}
