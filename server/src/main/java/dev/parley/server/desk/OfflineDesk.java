package dev.parley.server.desk;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The offline conversations (handoffs asked for outside business hours) as an agent sees them.
 * They live only in the store — no queue state — so any node answers from there, leader or not.
 */
public final class OfflineDesk {
    private final DeskStore store;
    private final Executor executor;
    private final Clock clock;

    public OfflineDesk(DeskStore store, Executor executor, Clock clock) {
        this.store = store;
        this.executor = executor;
        this.clock = clock;
    }

    /** The unhandled ones of the agent's queues and connector, oldest first. */
    public CompletionStage<List<OfflineConversation>> of(String agentId) {
        return CompletableFuture.supplyAsync(() -> store.findAgent(agentId)
                .map(agent -> store.openOfflineConversations().stream().filter(o -> mayHandle(agent, o)).toList())
                .orElse(List.of()), executor);
    }

    /** The agent dealt with it: it leaves the list. False if not theirs to handle (or already handled). */
    public CompletionStage<Boolean> markHandled(String agentId, String sessionId) {
        return CompletableFuture.supplyAsync(() -> store.findAgent(agentId)
                .filter(agent -> store.openOfflineConversations().stream()
                        .anyMatch(o -> o.sessionId().equals(sessionId) && mayHandle(agent, o)))
                .map(agent -> store.markOfflineHandled(sessionId, agentId, clock.instant()))
                .orElse(false), executor);
    }

    static boolean mayHandle(DeskAgent agent, OfflineConversation o) {
        return agent.serves(o.queue()) && agent.connectorId().equals(o.connectorId());
    }
}
