package dev.parley.bench.raw;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RawEchoVerticleTest {
    @Test
    void echoKeepsTheClientsTypePayloadAndMetadataBehindAServerEnvelope() {
        String frame = "{\"type\":\"EVENT_TYPE_USER_MESSAGE\",\"payload\":{\"text\":\"hi\"},"
                + "\"metadata\":{\"custom\":{\"client_event_id\":\"c1-0\"}}}";
        String echo = RawEchoVerticle.envelope(frame, 42);
        assertTrue(echo.startsWith("{\"id\":\""), echo);
        assertTrue(echo.contains("\"sequence\":42,"), echo);
        assertTrue(echo.contains("\"timestamp\":\""), echo);
        assertTrue(echo.endsWith("\"type\":\"EVENT_TYPE_USER_MESSAGE\",\"payload\":{\"text\":\"hi\"},"
                + "\"metadata\":{\"custom\":{\"client_event_id\":\"c1-0\"}}}"), echo);
    }
}
