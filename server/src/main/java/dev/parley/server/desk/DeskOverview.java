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
     * How a queue's or an agent's customers were served lately, each of the last 20 measurements
     * since the desk started ({@link #NONE} / {@link #NO_RATING} when there is none yet).
     *
     * @param firstResponseSeconds from assignment to the agent's first message
     * @param rating               CSAT, 1 to 5, to one decimal
     */
    public record Service(long firstResponseSeconds, double rating) {
        public static final Service NOTHING = new Service(NONE, NO_RATING);
    }

    /**
     * {@code waiting}: in queue order; {@code availableAgents}: present, AVAILABLE and serving the
     * queue; {@code averageWaitSeconds}: of the queue's last assignments (the estimate's sample), or {@link #NONE}.
     */
    public record QueueLoad(String name, List<DeskSnapshot.Waiting> waiting, long longestWaitSeconds,
                            int availableAgents, long averageWaitSeconds, Service service) {
        public QueueLoad {
            waiting = List.copyOf(waiting);
        }
    }

    /**
     * {@code load}: assigned conversations ({@code conversations.size()}), which may exceed capacity
     * after a reassignment; {@code averageHandlingSeconds}: of their last conversations, or {@link #NONE}.
     */
    public record AgentLoad(String id, String name, DeskAgent.Role role, List<String> queues, Presence presence,
                            int load, int capacity, List<HandoffRecord> conversations, long averageHandlingSeconds,
                            Service service) {
        public AgentLoad {
            queues = List.copyOf(queues);
            conversations = List.copyOf(conversations);
        }
    }
}
