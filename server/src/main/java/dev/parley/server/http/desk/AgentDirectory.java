package dev.parley.server.http.desk;

import dev.parley.server.desk.DeskAgent;
import java.util.Optional;

/** Live-agent accounts by id. May block (the store); called off the event loop. */
public interface AgentDirectory {

    Optional<DeskAgent> find(String agentId);
}
