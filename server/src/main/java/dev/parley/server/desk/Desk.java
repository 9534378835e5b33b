package dev.parley.server.desk;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queues, agents and assignments. Every method hands its work to one serial executor, so two
 * agents claiming the same conversation are decided one after the other: exactly one wins. Every
 * change is stored before its effects are announced, so a restart resumes the same queues.
 *
 * <p>All fields below are confined to the desk executor.
 */
public final class Desk implements LiveAgentDesk {
    private static final Logger LOG = LoggerFactory.getLogger(Desk.class);
    /** Recent real waits kept per queue for the estimate. */
    private static final int WAIT_SAMPLES = 20;
    private static final int DEFAULT_WAIT_SECONDS = 60;

    private final Map<String, QueueSettings> queues;
    private final DeskStore store;
    private final ConversationControl conversations;
    private final Clock clock;
    private final Executor executor;
    private final Duration requeueGrace;
    private final Duration statusPeriod;

    private final Map<String, HandoffRecord> open = new LinkedHashMap<>();
    private final Map<String, DeskAgent> agents = new HashMap<>();
    private final Map<String, Presence> presence = new HashMap<>();
    private final Map<String, Set<DeskListener>> listeners = new HashMap<>();
    private final Map<String, Instant> offlineSince = new HashMap<>();
    private final Map<String, Deque<Long>> recentWaits = new HashMap<>();
    private final Map<String, Instant> lastStatus = new HashMap<>();
    /**
     * When a requeued conversation started waiting again. It keeps its old {@code enqueuedAt} (that
     * is what puts it back at the head of its queue), so the maximum wait counts from here instead.
     * Not stored: after a restart the wait counts from {@code enqueuedAt} again.
     */
    private final Map<String, Instant> waitingAgainSince = new HashMap<>();

    public Desk(List<QueueSettings> queues, DeskStore store, ConversationControl conversations, Clock clock,
                Executor executor, Duration requeueGrace, Duration statusPeriod) {
        this.queues = queues.stream().collect(Collectors.toMap(QueueSettings::name, q -> q, (a, b) -> b, LinkedHashMap::new));
        this.store = store;
        this.conversations = conversations;
        this.clock = clock;
        this.executor = executor;
        this.requeueGrace = requeueGrace;
        this.statusPeriod = statusPeriod;
    }

    // ---- start-up ------------------------------------------------------------------------------

    /**
     * Reloads open handoffs. Agents count as just gone offline, so conversations of agents who do
     * not come back within the grace period return to their queue.
     */
    public CompletionStage<Void> recover() {
        return call(() -> {
            Instant now = clock.instant();
            for (HandoffRecord record : store.openHandoffs()) {
                open.put(record.sessionId(), record);
                if (record.agentId() != null) {
                    offlineSince.putIfAbsent(record.agentId(), now);
                }
            }
            store.waitingSinceOfOpenHandoffs().forEach((sessionId, since) -> {
                HandoffRecord record = open.get(sessionId);
                if (record != null && record.status() == HandoffRecord.Status.WAITING
                        && since.isAfter(record.enqueuedAt())) { // a later transfer restarts the wait anyway
                    waitingAgainSince.put(sessionId, since);
                }
            });
            LOG.info("desk recovered {} open handoffs", open.size());
            return null;
        });
    }

    // ---- conversations -------------------------------------------------------------------------

    /** The AI agent asked for a human in {@code queue}. */
    @Override
    public CompletionStage<EnqueueResult> enqueue(String sessionId, String connectorId, String queue) {
        return call(() -> {
            QueueSettings settings = queues.get(queue);
            if (settings == null) {
                return new EnqueueResult.Refused("no such queue: " + queue);
            }
            if (!settings.open()) {
                return new EnqueueResult.Refused("queue closed: " + queue);
            }
            boolean anyoneServes = store.listAgents().stream()
                    .anyMatch(a -> a.serves(queue) && a.connectorId().equals(connectorId));
            if (!anyoneServes) {
                return new EnqueueResult.Refused("no agent serves queue " + queue);
            }
            HandoffRecord record = open.get(sessionId);
            if (record == null) {
                record = HandoffRecord.waiting(sessionId, connectorId, queue, clock.instant());
                save(record);
            }
            int position = position(record);
            lastStatus.put(sessionId, clock.instant());
            lastPosition.put(sessionId, position); // the caller announces this position itself
            return new EnqueueResult.Queued(queue, position, estimate(queue, position));
        });
    }

    @Override
    public void accepted(String sessionId) {
        run(this::assignAndAnnounce);
    }

    /** The session ended (user left, timed out): it leaves the desk. */
    @Override
    public void sessionEnded(String sessionId) {
        run(() -> {
            HandoffRecord record = open.get(sessionId);
            if (record != null) {
                close(record);
                announceQueues();
            }
        });
    }

    // ---- agents --------------------------------------------------------------------------------

    /** An agent's desk connected; they become available and are told their conversations. */
    public void connect(DeskAgent agent, DeskListener listener) {
        run(() -> {
            agents.put(agent.id(), agent);
            listeners.computeIfAbsent(agent.id(), id -> new HashSet<>()).add(listener);
            offlineSince.remove(agent.id());
            if (presence.getOrDefault(agent.id(), Presence.OFFLINE) == Presence.OFFLINE) {
                presence.put(agent.id(), Presence.AVAILABLE);
            }
            mine(agent.id()).forEach(listener::assigned);
            listener.queuesChanged(snapshotFor(agent.id()));
            assignAndAnnounce();
        });
    }

    /** One of the agent's desks disconnected; when none is left, the grace period starts. */
    public void disconnect(String agentId, DeskListener listener) {
        run(() -> {
            Set<DeskListener> set = listeners.getOrDefault(agentId, Set.of());
            set.remove(listener);
            if (set.isEmpty()) {
                listeners.remove(agentId);
                presence.put(agentId, Presence.OFFLINE);
                offlineSince.put(agentId, clock.instant());
            }
        });
    }

    public void setPresence(String agentId, Presence value) {
        run(() -> {
            if (listeners.containsKey(agentId)) {
                presence.put(agentId, value == Presence.OFFLINE ? Presence.AWAY : value);
                assignAndAnnounce();
            }
        });
    }

    /**
     * The agent takes a conversation: {@code sessionId}, or the oldest waiting one of their queues
     * when null. Empty if it is not (or no longer) available to them.
     */
    public CompletionStage<Optional<HandoffRecord>> claim(String agentId, String sessionId) {
        return call(() -> {
            DeskAgent agent = agents.get(agentId);
            if (agent == null || !listeners.containsKey(agentId) || load(agentId) >= agent.capacity()) {
                return Optional.<HandoffRecord>empty();
            }
            Optional<HandoffRecord> pick = waitingFor(agent).stream()
                    .filter(r -> sessionId == null || r.sessionId().equals(sessionId))
                    .findFirst();
            pick.ifPresent(r -> assign(r, agent));
            if (pick.isPresent()) {
                announceQueues();
            }
            return pick.map(r -> open.get(r.sessionId()));
        });
    }

    /** True when the conversation is assigned to this agent (desk commands are checked with it). */
    public CompletionStage<Boolean> owns(String agentId, String sessionId) {
        return call(() -> {
            HandoffRecord record = open.get(sessionId);
            return record != null && record.status() == HandoffRecord.Status.ASSIGNED && agentId.equals(record.agentId());
        });
    }

    /** The agent leaves or ends the conversation: the session ends naturally. */
    public CompletionStage<Boolean> finish(String agentId, String sessionId) {
        return call(() -> {
            HandoffRecord record = open.get(sessionId);
            if (record == null || !agentId.equals(record.agentId())) {
                return false;
            }
            // The session journals LEFT and END before the desk stops following it, so the desk sees them.
            conversations.liveAgentFinished(sessionId);
            close(record);
            assignAndAnnounce();
            return true;
        });
    }

    /** The agent hands the conversation to another queue, where it waits again. */
    public CompletionStage<Boolean> transfer(String agentId, String sessionId, String queue) {
        return call(() -> {
            HandoffRecord record = open.get(sessionId);
            QueueSettings target = queues.get(queue);
            if (record == null || !agentId.equals(record.agentId()) || target == null || !target.open()) {
                return false;
            }
            HandoffRecord moved = record.movedTo(queue, clock.instant());
            save(moved);
            conversations.liveAgentLeft(sessionId);
            int position = position(moved);
            conversations.queueStatus(sessionId, queue, position, estimate(queue, position));
            lastStatus.put(sessionId, clock.instant());
            notifyAgent(agentId, l -> l.unassigned(sessionId));
            assignAndAnnounce();
            return true;
        });
    }

    /** What the agent's desk shows. */
    public CompletionStage<DeskSnapshot> snapshot(String agentId) {
        return call(() -> snapshotFor(agentId));
    }

    /** Opens or closes a queue; closing fails every conversation waiting in it. */
    public void setQueueOpen(String queue, boolean isOpen) {
        run(() -> {
            QueueSettings q = queues.get(queue);
            if (q == null) {
                return;
            }
            queues.put(queue, new QueueSettings(q.name(), q.assignment(), q.maxWait(), isOpen));
            if (!isOpen) {
                for (HandoffRecord r : waiting(queue)) {
                    close(r);
                    conversations.handoffFailed(r.sessionId());
                }
                announceQueues();
            }
        });
    }

    // ---- timers --------------------------------------------------------------------------------

    /** Timeouts, requeueing after the grace period, periodic queue status. Called by a scheduler. */
    public void tick() {
        run(() -> {
            Instant now = clock.instant();
            boolean changed = requeueAbandoned(now);
            for (HandoffRecord r : List.copyOf(open.values())) {
                if (r.status() != HandoffRecord.Status.WAITING) {
                    continue;
                }
                QueueSettings q = queues.get(r.queue());
                Instant since = waitingAgainSince.getOrDefault(r.sessionId(), r.enqueuedAt());
                if (q == null || !since.plus(q.maxWait()).isAfter(now)) {
                    close(r);
                    conversations.handoffTimedOut(r.sessionId());
                    changed = true;
                }
            }
            if (changed) {
                assignAndAnnounce();
            }
            for (HandoffRecord r : waitingAll()) {
                Instant last = lastStatus.getOrDefault(r.sessionId(), Instant.MIN);
                if (!last.plus(statusPeriod).isAfter(now)) {
                    sendStatus(r);
                }
            }
        });
    }

    private boolean requeueAbandoned(Instant now) {
        boolean changed = false;
        for (Map.Entry<String, Instant> gone : List.copyOf(offlineSince.entrySet())) {
            if (gone.getValue().plus(requeueGrace).isAfter(now)) {
                continue;
            }
            offlineSince.remove(gone.getKey());
            for (HandoffRecord r : mine(gone.getKey())) {
                HandoffRecord back = r.requeued();
                save(back);
                store.saveWaitingSince(r.sessionId(), now);
                waitingAgainSince.put(r.sessionId(), now);
                conversations.liveAgentLeft(r.sessionId());
                changed = true;
            }
        }
        return changed;
    }

    // ---- assignment ----------------------------------------------------------------------------

    private void assignAndAnnounce() {
        for (QueueSettings q : queues.values()) {
            if (q.assignment() != QueueSettings.Assignment.AUTO) {
                continue;
            }
            for (HandoffRecord r : waiting(q.name())) {
                Optional<DeskAgent> agent = leastLoaded(r);
                if (agent.isEmpty()) {
                    break;
                }
                assign(r, agent.get());
            }
        }
        announceQueues();
    }

    private Optional<DeskAgent> leastLoaded(HandoffRecord r) {
        return agents.values().stream()
                .filter(a -> a.serves(r.queue()) && a.connectorId().equals(r.connectorId()))
                .filter(a -> presence.getOrDefault(a.id(), Presence.OFFLINE) == Presence.AVAILABLE)
                .filter(a -> load(a.id()) < a.capacity())
                .min(Comparator.comparingInt((DeskAgent a) -> load(a.id())).thenComparing(DeskAgent::id));
    }

    private void assign(HandoffRecord r, DeskAgent agent) {
        Instant now = clock.instant();
        HandoffRecord assigned = r.assignedTo(agent.id(), now);
        save(assigned);
        Deque<Long> waits = recentWaits.computeIfAbsent(r.queue(), q -> new ArrayDeque<>());
        waits.addLast(Duration.between(r.enqueuedAt(), now).toSeconds());
        if (waits.size() > WAIT_SAMPLES) {
            waits.removeFirst();
        }
        lastStatus.remove(r.sessionId());
        waitingAgainSince.remove(r.sessionId());
        conversations.liveAgentJoined(r.sessionId(), agent);
        notifyAgent(agent.id(), l -> l.assigned(assigned));
    }

    /** Everyone still waiting learns their new position; agents see the new lists. */
    private void announceQueues() {
        for (HandoffRecord r : waitingAll()) {
            sendStatus(r);
        }
        for (String agentId : listeners.keySet()) {
            DeskSnapshot snapshot = snapshotFor(agentId);
            notifyAgent(agentId, l -> l.queuesChanged(snapshot));
        }
    }

    private final Map<String, Integer> lastPosition = new HashMap<>();

    private void sendStatus(HandoffRecord r) {
        int position = position(r);
        Integer before = lastPosition.put(r.sessionId(), position);
        Instant last = lastStatus.getOrDefault(r.sessionId(), Instant.MIN);
        boolean periodic = !last.plus(statusPeriod).isAfter(clock.instant());
        if (before == null || before != position || periodic) {
            conversations.queueStatus(r.sessionId(), r.queue(), position, estimate(r.queue(), position));
            lastStatus.put(r.sessionId(), clock.instant());
        }
    }

    // ---- queries -------------------------------------------------------------------------------

    private List<HandoffRecord> waitingAll() {
        return open.values().stream().filter(r -> r.status() == HandoffRecord.Status.WAITING)
                .sorted(Comparator.comparing(HandoffRecord::enqueuedAt)).collect(Collectors.toList());
    }

    private List<HandoffRecord> waiting(String queue) {
        return waitingAll().stream().filter(r -> r.queue().equals(queue)).collect(Collectors.toList());
    }

    private List<HandoffRecord> waitingFor(DeskAgent agent) {
        return waitingAll().stream()
                .filter(r -> agent.serves(r.queue()) && agent.connectorId().equals(r.connectorId()))
                .collect(Collectors.toList());
    }

    private List<HandoffRecord> mine(String agentId) {
        return open.values().stream().filter(r -> agentId.equals(r.agentId())).collect(Collectors.toList());
    }

    private int load(String agentId) {
        return mine(agentId).size();
    }

    private int position(HandoffRecord r) {
        return waiting(r.queue()).stream().map(HandoffRecord::sessionId).collect(Collectors.toList())
                .indexOf(r.sessionId()) + 1;
    }

    private int estimate(String queue, int position) {
        Deque<Long> waits = recentWaits.get(queue);
        double average = waits == null || waits.isEmpty() ? DEFAULT_WAIT_SECONDS
                : waits.stream().mapToLong(Long::longValue).average().orElse(DEFAULT_WAIT_SECONDS);
        long available = agents.values().stream()
                .filter(a -> a.serves(queue) && presence.getOrDefault(a.id(), Presence.OFFLINE) == Presence.AVAILABLE)
                .count();
        return (int) Math.round(Math.max(1, average) * position / Math.max(1, available));
    }

    private DeskSnapshot snapshotFor(String agentId) {
        DeskAgent agent = agents.computeIfAbsent(agentId, id -> store.findAgent(id).orElse(null));
        Instant now = clock.instant();
        List<DeskSnapshot.QueueView> views = new ArrayList<>();
        if (agent != null) {
            for (QueueSettings q : queues.values()) {
                if (!agent.serves(q.name())) {
                    continue;
                }
                List<DeskSnapshot.Waiting> list = new ArrayList<>();
                int position = 0;
                for (HandoffRecord r : waiting(q.name())) {
                    position++;
                    if (r.connectorId().equals(agent.connectorId())) {
                        list.add(new DeskSnapshot.Waiting(r.sessionId(), position,
                                Duration.between(r.enqueuedAt(), now).toSeconds()));
                    }
                }
                views.add(new DeskSnapshot.QueueView(q.name(), q.assignment(), list));
            }
        }
        return new DeskSnapshot(presence.getOrDefault(agentId, Presence.OFFLINE), mine(agentId), views);
    }

    // ---- plumbing ------------------------------------------------------------------------------

    private void save(HandoffRecord record) {
        store.saveHandoff(record);
        open.put(record.sessionId(), record);
    }

    private void close(HandoffRecord record) {
        store.saveHandoff(record.closed());
        open.remove(record.sessionId());
        lastStatus.remove(record.sessionId());
        lastPosition.remove(record.sessionId());
        waitingAgainSince.remove(record.sessionId());
        if (record.agentId() != null) {
            notifyAgent(record.agentId(), l -> l.unassigned(record.sessionId()));
        }
    }

    private void notifyAgent(String agentId, java.util.function.Consumer<DeskListener> call) {
        for (DeskListener l : List.copyOf(listeners.getOrDefault(agentId, Set.of()))) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("desk listener of {} failed", agentId, e);
            }
        }
    }

    private void run(Runnable work) {
        executor.execute(() -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                LOG.error("desk task failed", e);
            }
        });
    }

    private <T> CompletionStage<T> call(Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                result.complete(work.get());
            } catch (RuntimeException e) {
                LOG.error("desk task failed", e);
                result.completeExceptionally(e);
            }
        });
        return result;
    }
}
