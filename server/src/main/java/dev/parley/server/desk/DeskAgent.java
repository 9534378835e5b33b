package dev.parley.server.desk;

import java.util.List;
import java.util.Objects;

/**
 * A human agent's account: the connector whose conversations they may see, who they are to end
 * users ({@code LIVE_AGENT_JOINED}), which queues they serve, how many conversations they take at once,
 * and whether they also supervise the team ({@link Role#SUPERVISOR}).
 */
public record DeskAgent(String id, String connectorId, String name, String avatarUrl, List<String> queues, int capacity,
                        Role role) {

    /** What an account may do on the desk beyond serving its own queues. */
    public enum Role {
        /** Serves the queues it is in. */
        AGENT,
        /** Also sees every queue and agent of its connector, watches, takes over and reassigns conversations. */
        SUPERVISOR
    }

    public DeskAgent {
        queues = List.copyOf(queues);
        Objects.requireNonNull(role, "role");
    }

    /** An account with the plain {@link Role#AGENT} role. */
    public DeskAgent(String id, String connectorId, String name, String avatarUrl, List<String> queues, int capacity) {
        this(id, connectorId, name, avatarUrl, queues, capacity, Role.AGENT);
    }

    public boolean serves(String queue) {
        return queues.contains(queue);
    }

    public boolean supervisor() {
        return role == Role.SUPERVISOR;
    }
}
