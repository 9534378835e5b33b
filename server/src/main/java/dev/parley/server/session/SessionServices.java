package dev.parley.server.session;

import dev.parley.server.agent.Agent;
import dev.parley.server.store.EventStore;
import dev.parley.server.store.GroupCommitWriter;
import java.time.Clock;
import dev.parley.server.desk.LiveAgentDesk;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * What every session actor shares: the journal, the AI agent, time, the worker executor its
 * tasks run on (never an event-loop thread, since tasks may read the store), and the live-agent
 * desk when server-managed handoff is on.
 */
public record SessionServices(
        GroupCommitWriter journal,
        EventStore events,
        Agent agent,
        Clock clock,
        Executor executor,
        SessionSettings settings,
        Optional<LiveAgentDesk> desk) {

    /** Without a desk: handoffs are client-managed. */
    public SessionServices(GroupCommitWriter journal, EventStore events, Agent agent, Clock clock, Executor executor,
                           SessionSettings settings) {
        this(journal, events, agent, clock, executor, settings, Optional.empty());
    }
}
