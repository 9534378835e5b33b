package dev.parley.server.desk;

import java.util.List;

/**
 * A human agent's account: the connector whose conversations they may see, who they are to end
 * users ({@code LIVE_AGENT_JOINED}), which queues they serve and how many conversations they take at once.
 */
public record DeskAgent(String id, String connectorId, String name, String avatarUrl, List<String> queues, int capacity) {
    public DeskAgent {
        queues = List.copyOf(queues);
    }

    public boolean serves(String queue) {
        return queues.contains(queue);
    }
}
