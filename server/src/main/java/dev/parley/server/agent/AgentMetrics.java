package dev.parley.server.agent;

import java.time.Duration;

/**
 * What agents report about their turns, per agent kind ({@code scripted}, {@code llm},
 * {@code webhook}). Implemented over Micrometer by the server; {@link #NONE} in tests that do not
 * look. Calls must be cheap and never block.
 */
public interface AgentMetrics {

    /** A turn (greeting or reply) started. */
    void turnStarted(String agent);

    /** The first text of a turn reached the session, {@code latency} after the turn started. */
    void firstToken(String agent, Duration latency);

    /** The turn failed ({@code reason} is a short, low-cardinality word such as {@code timeout}). */
    void turnFailed(String agent, String reason);

    AgentMetrics NONE = new AgentMetrics() {
        @Override
        public void turnStarted(String agent) {
        }

        @Override
        public void firstToken(String agent, Duration latency) {
        }

        @Override
        public void turnFailed(String agent, String reason) {
        }
    };
}
