package dev.parley.server.metrics;

import dev.parley.server.agent.AgentMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link AgentMetrics} over Micrometer: {@code parley.agent.turns{agent}},
 * {@code parley.agent.errors{agent,reason}} and the timer {@code parley.agent.first_token{agent}}
 * (in Prometheus: {@code parley_agent_turns_total}, {@code parley_agent_errors_total},
 * {@code parley_agent_first_token_seconds}). The per-agent meters are kept here once registered:
 * building and registering one per call (Micrometer's own lookup builds an id and sorts tags)
 * showed up on the agent-joined message path (issue 10).
 */
public final class MicrometerAgentMetrics implements AgentMetrics {
    public static final String TURNS = "parley.agent.turns";
    public static final String ERRORS = "parley.agent.errors";
    public static final String FIRST_TOKEN = "parley.agent.first_token";

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, Counter> turns = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Timer> firstTokens = new ConcurrentHashMap<>();

    public MicrometerAgentMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void turnStarted(String agent) {
        turns.computeIfAbsent(agent, a -> Counter.builder(TURNS)
                .description("AI-agent turns (greetings and replies) started")
                .tag("agent", a).register(registry)).increment();
    }

    @Override
    public void firstToken(String agent, Duration latency) {
        firstTokens.computeIfAbsent(agent, a -> Timer.builder(FIRST_TOKEN)
                .description("Time from the start of a turn to its first text")
                .tag("agent", a).register(registry)).record(latency);
    }

    @Override
    public void turnFailed(String agent, String reason) {
        Counter.builder(ERRORS).description("AI-agent turns that failed")
                .tag("agent", agent).tag("reason", reason).register(registry).increment();
    }
}
