package dev.parley.server.desk;

import java.util.List;
import java.util.Optional;

/** Live-agent accounts and the durable handoff queue. Calls block; the desk runs them off event loops. */
public interface DeskStore {

    void createAgent(DeskAgent agent, String passwordHash);

    Optional<DeskAgent> findAgent(String id);

    Optional<DeskAgent> findAgentByName(String name);

    /** The stored password hash of an agent, for login. */
    Optional<String> passwordHash(String agentId);

    List<DeskAgent> listAgents();

    /** Creates or replaces the record of this session. */
    void saveHandoff(HandoffRecord record);

    /** Records not closed, oldest first. */
    List<HandoffRecord> openHandoffs();

    /** Remembers when a requeued conversation started waiting again (its timeout counts from then). */
    void saveWaitingSince(String sessionId, java.time.Instant since);

    /** The "waiting again since" times of open handoffs that have one. */
    java.util.Map<String, java.time.Instant> waitingSinceOfOpenHandoffs();

    /**
     * Stores an offline conversation. If the session already has one it keeps its first time, and is
     * listed again if it had been handled (the user came back out of hours and left another message).
     */
    void saveOfflineConversation(OfflineConversation conversation);

    /** Offline conversations not yet handled, oldest first. */
    List<OfflineConversation> openOfflineConversations();

    /** Marks it handled; false if there is none for the session or it already was. */
    boolean markOfflineHandled(String sessionId, String agentId, java.time.Instant at);
}
