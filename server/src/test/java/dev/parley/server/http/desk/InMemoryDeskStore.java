package dev.parley.server.http.desk;

import dev.parley.server.desk.DeskAgent;
import dev.parley.server.desk.DeskStore;
import dev.parley.server.desk.HandoffRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A {@link DeskStore} in memory, for tests of the desk's HTTP side. */
final class InMemoryDeskStore implements DeskStore {
    private final Map<String, DeskAgent> agents = new LinkedHashMap<>();
    private final Map<String, String> hashes = new LinkedHashMap<>();
    private final Map<String, HandoffRecord> handoffs = new LinkedHashMap<>();

    @Override
    public synchronized void createAgent(DeskAgent agent, String passwordHash) {
        agents.put(agent.id(), agent);
        hashes.put(agent.id(), passwordHash);
    }

    @Override
    public synchronized Optional<DeskAgent> findAgent(String id) {
        return Optional.ofNullable(agents.get(id));
    }

    @Override
    public synchronized Optional<DeskAgent> findAgentByName(String name) {
        return agents.values().stream().filter(a -> a.name().equals(name)).findFirst();
    }

    @Override
    public synchronized Optional<String> passwordHash(String agentId) {
        return Optional.ofNullable(hashes.get(agentId));
    }

    @Override
    public synchronized List<DeskAgent> listAgents() {
        return new ArrayList<>(agents.values());
    }

    @Override
    public synchronized void saveHandoff(HandoffRecord record) {
        handoffs.put(record.sessionId(), record);
    }

    @Override
    public synchronized List<HandoffRecord> openHandoffs() {
        return handoffs.values().stream().filter(r -> r.status() != HandoffRecord.Status.CLOSED)
                .sorted(Comparator.comparing(HandoffRecord::enqueuedAt)).toList();
    }

    /** Every record ever saved for the session, latest state. */
    synchronized Optional<HandoffRecord> handoff(String sessionId) {
        return Optional.ofNullable(handoffs.get(sessionId));
    }
}
