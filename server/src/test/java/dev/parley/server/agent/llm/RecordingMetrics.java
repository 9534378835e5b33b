package dev.parley.server.agent.llm;

import dev.parley.server.agent.AgentMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Records agent metrics as short strings such as {@code started:llm}, {@code failed:llm:timeout}. */
final class RecordingMetrics implements AgentMetrics {
    private final List<String> events = new ArrayList<>();

    @Override
    public synchronized void turnStarted(String agent) {
        events.add("started:" + agent);
    }

    @Override
    public synchronized void firstToken(String agent, Duration latency) {
        events.add("first-token:" + agent);
    }

    @Override
    public synchronized void turnFailed(String agent, String reason) {
        events.add("failed:" + agent + ":" + reason);
    }

    synchronized List<String> events() {
        return List.copyOf(events);
    }
}
