package dev.parley.server.metrics;

import dev.parley.server.desk.TeamMeter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * {@link TeamMeter} over Micrometer, as timers with percentile histograms (Prometheus:
 * {@code _seconds_count}, {@code _sum}, {@code _max} and {@code _bucket}):
 * {@code parley.desk.wait{queue,outcome=assigned|abandoned}},
 * {@code parley.desk.handling{queue,agent}} and {@code parley.desk.first.response{queue,agent}}.
 * {@code agent} is a desk account's id, so the cardinality is queues × agents, both set by the
 * operator. Waits and handling are counted by the node that runs the desk (the leader on several
 * nodes), first responses by the node of the agent's desk socket: sum them across nodes.
 */
public final class MicrometerTeamMeter implements TeamMeter {
    public static final String WAIT = "parley.desk.wait";
    public static final String HANDLING = "parley.desk.handling";
    public static final String FIRST_RESPONSE = "parley.desk.first.response";

    private final MeterRegistry registry;

    public MicrometerTeamMeter(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void waited(String queue, WaitOutcome outcome, Duration wait) {
        timer(WAIT, "How long users waited in a desk queue", "queue", queue, "outcome",
                outcome.name().toLowerCase(Locale.ROOT)).record(wait);
    }

    @Override
    public void handled(String queue, String agentId, Duration handling) {
        timer(HANDLING, "How long a live agent held a conversation", "queue", queue, "agent", agentId).record(handling);
    }

    @Override
    public void firstResponse(String queue, String agentId, Duration delay) {
        timer(FIRST_RESPONSE, "From assignment to the live agent's first message", "queue", queue, "agent", agentId)
                .record(delay);
    }

    // Micrometer returns the registered timer for the same name and tags: these are per conversation, not per message.
    private Timer timer(String name, String description, String... tags) {
        return Timer.builder(name).description(description).tags(tags).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofSeconds(1)).maximumExpectedValue(Duration.ofHours(4))
                .register(registry);
    }
}
