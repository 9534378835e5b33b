package dev.parley.server.desk;

import java.util.List;

/**
 * What a supervisor sees of their connector's desk: every configured queue with who waits and for
 * how long, and every agent account with presence, load and their conversations.
 */
public record DeskOverview(List<QueueLoad> queues, List<AgentLoad> agents) {

    public DeskOverview {
        queues = List.copyOf(queues);
        agents = List.copyOf(agents);
    }

    /** No measurement yet (nobody assigned, nothing handled since the desk started). */
    public static final long NONE = -1;
    /** No rating yet. */
    public static final double NO_RATING = -1;

    /**
     * The recent averages of a queue's or an agent's work, each of the last 20 measurements since
     * the desk started ({@link #NONE} / {@link #NO_RATING} when there is none yet).
     *
     * @param waitOrHandlingSeconds a queue's wait until assignment; an agent's handling time
     * @param firstResponseSeconds  from assignment to the agent's first message
     * @param rating                CSAT, 1 to 5, to one decimal
     */
    public record Averages(long waitOrHandlingSeconds, long firstResponseSeconds, double rating) {
        public static final Averages NOTHING = new Averages(NONE, NONE, NO_RATING);
    }

    /**
     * {@code waiting}: in queue order; {@code availableAgents}: present, AVAILABLE and serving the
     * queue; {@code averages}: wait (the estimate's sample), first response and CSAT of the queue.
     */
    public record QueueLoad(String name, List<DeskSnapshot.Waiting> waiting, long longestWaitSeconds,
                            int availableAgents, Averages averages) {
        public QueueLoad {
            waiting = List.copyOf(waiting);
        }

        public long averageWaitSeconds() {
            return averages.waitOrHandlingSeconds();
        }
    }

    /**
     * {@code load}: assigned conversations ({@code conversations.size()}), which may exceed capacity
     * after a reassignment; {@code averages}: handling, first response and CSAT of their last conversations.
     */
    public record AgentLoad(String id, String name, DeskAgent.Role role, List<String> queues, Presence presence,
                            int load, int capacity, List<HandoffRecord> conversations, Averages averages) {
        public AgentLoad {
            queues = List.copyOf(queues);
            conversations = List.copyOf(conversations);
        }

        public long averageHandlingSeconds() {
            return averages.waitOrHandlingSeconds();
        }
    }
}
