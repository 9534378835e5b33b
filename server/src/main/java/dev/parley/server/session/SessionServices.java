package dev.parley.server.session;

import dev.parley.server.agent.Agent;
import dev.parley.server.store.EventStore;
import dev.parley.server.store.GroupCommitWriter;
import java.time.Clock;
import java.util.concurrent.Executor;

/**
 * What every session actor shares: the journal, the AI agent, time, and the worker executor its
 * tasks run on (never an event-loop thread, since tasks may read the store).
 */
public record SessionServices(
        GroupCommitWriter journal,
        EventStore events,
        Agent agent,
        Clock clock,
        Executor executor,
        SessionSettings settings) {
}
