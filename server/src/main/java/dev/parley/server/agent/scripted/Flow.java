package dev.parley.server.agent.scripted;

import dev.parley.server.agent.AgentProfile;
import java.util.List;
import java.util.Objects;

/**
 * A validated flow file: who the agent is, what it says first, the intents tried in order and the
 * reply used when none matches.
 */
public record Flow(AgentProfile agent, Reply greeting, List<Intent> intents, Reply fallback) {

    public Flow {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(greeting, "greeting");
        Objects.requireNonNull(fallback, "fallback");
        intents = List.copyOf(intents);
    }
}
