package dev.parley.server.session;

import dev.parley.protocol.Ids;
import dev.parley.protocol.Limits;
import dev.parley.protocol.codec.ServerEventEncoder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Packs replayed events into {@code EVENT_BATCH} frames of at most {@link Limits#MAX_EVENTS_PER_BATCH}
 * events and below {@link Limits#MAX_MESSAGE_SIZE_BYTES}, in order (PROTOCOL.md §3.4, §13.3). There is
 * always at least one frame, possibly empty, so a client can tell that replay is over (§13.4).
 */
final class ReplayBatches {
    private static final int BUDGET = Limits.MAX_MESSAGE_SIZE_BYTES - ServerEventEncoder.batchOverheadBytes();

    private ReplayBatches() {
    }

    /** @param encodedEvents stored envelopes, ascending by sequence; each is ASCII-or-UTF-8 JSON */
    static List<String> frames(List<String> encodedEvents, Instant now) {
        List<String> frames = new ArrayList<>();
        List<String> batch = new ArrayList<>();
        int bytes = 0;
        for (String event : encodedEvents) {
            int size = utf8Length(event) + 1;
            boolean full = batch.size() == Limits.MAX_EVENTS_PER_BATCH || bytes + size > BUDGET;
            if (full && !batch.isEmpty()) {
                frames.add(ServerEventEncoder.encodeBatch(Ids.eventId(), now, batch));
                batch = new ArrayList<>();
                bytes = 0;
            }
            batch.add(event);
            bytes += size;
        }
        if (!batch.isEmpty() || frames.isEmpty()) {
            frames.add(ServerEventEncoder.encodeBatch(Ids.eventId(), now, batch));
        }
        return frames;
    }

    static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
