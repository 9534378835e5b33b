package dev.parley.protocol.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import dev.parley.protocol.EventType;
import dev.parley.protocol.ServerEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/** Writes server events as JSON text frames (PROTOCOL.md §4.2, §6.4 EVENT_BATCH). */
public final class ServerEventEncoder {

    private ServerEventEncoder() {
    }

    public static String encode(ServerEvent event) {
        try (SegmentedStringWriter out = new SegmentedStringWriter(Json.MAPPER.getFactory()._getBufferRecycler());
             JsonGenerator gen = Json.MAPPER.getFactory().createGenerator(out)) {
            gen.setCodec(Json.MAPPER);
            gen.writeStartObject();
            gen.writeStringField("id", event.id());
            if (event.sequence() == null) {
                gen.writeNullField("sequence");
            } else {
                gen.writeNumberField("sequence", event.sequence());
            }
            gen.writeStringField("timestamp", Timestamps.format(event.timestamp()));
            gen.writeStringField("type", event.type().wireName());
            gen.writeFieldName("payload");
            Json.MAPPER.writeValue(gen, event.payload());
            if (event.metadata() != null) {
                gen.writeFieldName("metadata");
                gen.writeRawValue(event.metadata().json());
            }
            gen.writeEndObject();
            gen.flush();
            return out.getAndClear();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + event.type(), e);
        }
    }

    /**
     * Frames already-encoded events as one {@code EVENT_BATCH}; the inner envelopes are copied
     * verbatim, so replay sends exactly what was sent live (PROTOCOL.md §13.3).
     */
    public static String encodeBatch(String id, Instant timestamp, List<String> encodedEvents) {
        int size = 128;
        for (String e : encodedEvents) {
            size += e.length() + 1;
        }
        StringBuilder sb = new StringBuilder(size);
        sb.append("{\"id\":\"").append(id)
                .append("\",\"sequence\":null,\"timestamp\":\"").append(Timestamps.format(timestamp))
                .append("\",\"type\":\"").append(EventType.EVENT_BATCH.wireName())
                .append("\",\"payload\":{\"events\":[");
        for (int i = 0; i < encodedEvents.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(encodedEvents.get(i));
        }
        return sb.append("]}}").toString();
    }

    /** Bytes an empty batch frame takes, used to keep batches below the frame limit. */
    public static int batchOverheadBytes() {
        return encodeBatch("00000000-0000-0000-0000-000000000000", Instant.EPOCH, List.of()).length();
    }
}
