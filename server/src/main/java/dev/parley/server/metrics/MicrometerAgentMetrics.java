package dev.parley.server.metrics;

import dev.parley.server.agent.AgentMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;

/**
 * {@link AgentMetrics} over Micrometer: {@code parley.agent.turns{agent}},
 * {@code parley.agent.errors{agent,reason}} and the timer {@code parley.agent.first_token{agent}}
 * (in Prometheus: {@code parley_agent_turns_total}, {@code parley_agent_errors_total},
 * {@code parley_agent_first_token_seconds}). Micrometer caches meters by name and tags, so each
 * call is a map lookup and an add.
 */
public final class MicrometerAgentMetrics implements AgentMetrics {
    public static final String TURNS = "parley.agent.turns";
    public static final String ERRORS = "parley.agent.errors";
    public static final String FIRST_TOKEN = "parley.agent.first_token";

    private final MeterRegistry registry;

    public MicrometerAgentMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void turnStarted(String agent) {
        Counter.builder(TURNS).description("AI-agent turns (greetings and replies) started")
                .tag("agent", agent).register(registry).increment();
    }

    @Override
    public void firstToken(String agent, Duration latency) {
        Timer.builder(FIRST_TOKEN).description("Time from the start of a turn to its first text")
                .tag("agent", agent).register(registry).record(latency);
    }

    @Override
    public void turnFailed(String agent, String reason) {
        Counter.builder(ERRORS).description("AI-agent turns that failed")
                .tag("agent", agent).tag("reason", reason).register(registry).increment();
    }
}
