package dev.parley.bench;

import dev.parley.protocol.Capabilities;
import dev.parley.protocol.Ids;
import dev.parley.protocol.RawJson;
import dev.parley.protocol.ServerEvent;
import dev.parley.protocol.codec.ClientEventDecoder;
import dev.parley.protocol.codec.Decoded;
import dev.parley.protocol.codec.ServerEventEncoder;
import dev.parley.protocol.payload.SessionStart;
import dev.parley.protocol.payload.UserMessageEcho;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The per-frame work on the hot path: decoding a client frame, encoding a server event. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {
    private final ClientEventDecoder decoder = ClientEventDecoder.withDefaults();
    private final String userMessage = "{\"type\":\"EVENT_TYPE_USER_MESSAGE\",\"payload\":{\"text\":\"I'd like to book a table "
            + "for tomorrow at 7pm.\"},\"metadata\":{\"custom\":{\"client_event_id\":\"5f0c8f1e-5d0e-4c55-9b7a-2d3c1e9f0a11\"}}}";
    private final ServerEvent echo = new ServerEvent(Ids.eventId(), 7L, Instant.now(),
            new UserMessageEcho("I'd like to book a table for tomorrow at 7pm.", Ids.messageId()),
            RawJson.of("{\"custom\":{\"client_event_id\":\"5f0c8f1e-5d0e-4c55-9b7a-2d3c1e9f0a11\"}}"));
    private final ServerEvent start = new ServerEvent(Ids.eventId(), 1L, Instant.now(),
            new SessionStart(Capabilities.of(true, 30)), null);

    @Benchmark
    public Decoded decodeUserMessage() {
        return decoder.decode(userMessage);
    }

    @Benchmark
    public String encodeEcho() {
        return ServerEventEncoder.encode(echo);
    }

    @Benchmark
    public String encodeSessionStart() {
        return ServerEventEncoder.encode(start);
    }
}
