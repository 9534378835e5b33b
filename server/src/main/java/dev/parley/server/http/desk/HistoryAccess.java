package dev.parley.server.http.desk;

import dev.parley.server.desk.DeskAgent;
import dev.parley.server.store.SessionSummary;
import java.util.List;

/**
 * Who may read which ended conversations on the desk — the one place that decides it. An agent
 * sees the conversations of their own connector that were handed to one of their own queues (a
 * conversation the desk never queued is seen by no agent). A supervisor sees every ended
 * conversation of their connector, whatever queue it was in, or none.
 */
final class HistoryAccess {
    private HistoryAccess() {
    }

    /** The connector whose history the agent searches. */
    static String connectorOf(DeskAgent agent) {
        return agent.connectorId();
    }

    /** The queues whose conversations the agent may search; null: no queue limit (supervisors). */
    static List<String> queues(DeskAgent agent) {
        return agent.supervisor() ? null : agent.queues();
    }

    /** Whether the agent may open this conversation read-only. */
    static boolean maySee(DeskAgent agent, SessionSummary summary) {
        if (!summary.session().ended() || !summary.session().connectorId().equals(connectorOf(agent))) {
            return false;
        }
        return agent.supervisor() || summary.handoff() != null && queues(agent).contains(summary.handoff().queue());
    }
}
