package dev.parley.server.http.desk;

import dev.parley.server.desk.DeskAgent;
import dev.parley.server.store.SessionSummary;
import java.util.List;

/**
 * Who may read which ended conversations on the desk — the one place that decides it. Today an
 * agent sees the conversations of their own connector that were handed to one of their own queues
 * (a conversation the desk never queued is seen by no agent). A supervisor role (not there yet)
 * would widen {@link #queues} and {@link #maySee} here, and nowhere else.
 */
final class HistoryAccess {
    private HistoryAccess() {
    }

    /** The connector whose history the agent searches. */
    static String connectorOf(DeskAgent agent) {
        return agent.connectorId();
    }

    /** The queues whose conversations the agent may search. */
    static List<String> queues(DeskAgent agent) {
        return agent.queues();
    }

    /** Whether the agent may open this conversation read-only. */
    static boolean maySee(DeskAgent agent, SessionSummary summary) {
        return summary.session().ended()
                && summary.session().connectorId().equals(connectorOf(agent))
                && summary.handoff() != null
                && queues(agent).contains(summary.handoff().queue());
    }
}
