package dev.parley.server.desk;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
public final class Desk implements LiveAgentDesk, DeskPort {
    private static final Logger LOG = LoggerFactory.getLogger(Desk.class);
    /** Recent real waits kept per queue for the estimate. */
    private static final int WAIT_SAMPLES = 20;
    private static final int DEFAULT_WAIT_SECONDS = 60;
    /** Supervisors get a changed overview at most this often. */
    private static final Duration OVERVIEW_SPACING = Duration.ofSeconds(1);

    private final Map<String, QueueSettings> queues;
    private final DeskStore store;
    private final ConversationControl conversations;
    private final Clock clock;
    private final Executor executor;
    private final Duration requeueGrace;

    private final Map<String, HandoffRecord> open = new LinkedHashMap<>();
    private final Map<String, DeskAgent> agents = new HashMap<>();
    private final Map<String, Presence> presence = new HashMap<>();
    private final Map<String, Set<DeskListener>> listeners = new HashMap<>();
    private final Map<String, Instant> offlineSince = new HashMap<>();
    private final RecentSamples recentWaits = new RecentSamples(WAIT_SAMPLES);
    /** The waiting conversations of each queue, in order (also of queues no longer configured). */
    private final Map<String, WaitingLine> lines = new LinkedHashMap<>();
    /** When the desk first saw each open conversation: breaks ties between equal enqueue times. */
    private final Map<String, Long> arrivals = new HashMap<>();
    private long nextArrival;
    /** Queues whose positions or estimates may have changed since they were last announced. */
    private final Set<String> changedQueues = new LinkedHashSet<>();
    private final QueueStatusBoard statuses;
    /**
     * When a requeued conversation started waiting again. It keeps its old {@code enqueuedAt} (that
     * is what puts it back at the head of its queue), so the maximum wait counts from here instead.
     * Not stored: after a restart the wait counts from {@code enqueuedAt} again.
     */
    private final Map<String, Instant> waitingAgainSince = new HashMap<>();
    /**
     * Who gave a waiting conversation back with {@link #leave}: auto-assignment offers it to a
     * colleague, not straight back to them (they may still claim it). Not stored.
     */
    private final Map<String, String> leftBy = new HashMap<>();
    /** Supervisors' overviews: the last one sent per connector, when, and whether something changed since. */
    private final Map<String, DeskOverview> overviewsSent = new HashMap<>();
    private final TeamMeter meter;
    /** For the supervisor's overview, not stored: handling per agent, first responses and ratings per queue and agent. */
    private final RecentSamples recentHandling = new RecentSamples(WAIT_SAMPLES);
    private final RecentSamples firstResponsesByQueue = new RecentSamples(WAIT_SAMPLES);
    private final RecentSamples firstResponsesByAgent = new RecentSamples(WAIT_SAMPLES);
    private final RecentSamples ratingsByQueue = new RecentSamples(WAIT_SAMPLES);
    private final RecentSamples ratingsByAgent = new RecentSamples(WAIT_SAMPLES);
    /** Assigned conversations whose agent has written since the assignment: one first response each. */
    private final Set<String> answeredSinceAssignment = new HashSet<>();
    private Instant overviewSentAt = Instant.EPOCH;
    private boolean overviewDue;

    public Desk(List<QueueSettings> queues, DeskStore store, ConversationControl conversations, Clock clock,
                Executor executor, Duration requeueGrace, Duration statusPeriod) {
        this(queues, store, conversations, clock, executor, requeueGrace, statusPeriod, TeamMeter.NONE);
    }

    public Desk(List<QueueSettings> queues, DeskStore store, ConversationControl conversations, Clock clock,
                Executor executor, Duration requeueGrace, Duration statusPeriod, TeamMeter meter) {
        this.meter = meter;
        this.queues = queues.stream().collect(Collectors.toMap(QueueSettings::name, q -> q, (a, b) -> b, LinkedHashMap::new));
        this.store = store;
        this.conversations = conversations;
        this.clock = clock;
        this.executor = executor;
        this.requeueGrace = requeueGrace;
        this.statuses = new QueueStatusBoard(conversations, statusPeriod);
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
                track(record);
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
            Instant now = clock.instant();
            if (!staffed(settings, now)) {
                // Nobody is waited for outside hours: the user may leave a message for the team instead.
                store.saveOfflineConversation(OfflineConversation.opened(sessionId, connectorId, queue, now));
                return new EnqueueResult.OutOfHours(queue, settings.hours().nextOpening(now).orElse(null),
                        settings.hours().closedMessage());
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
            int estimate = WaitEstimate.of(this, queue).seconds(position);
            if (position > 0) {
                statuses.announcedElsewhere(sessionId, position, estimate, clock.instant()); // the caller announces it
            }
            return new EnqueueResult.Queued(queue, position, estimate);
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
                close(record, Unassignment.Reason.ENDED);
                announceQueues();
            }
        });
    }

    // ---- agents --------------------------------------------------------------------------------

    /** An agent's desk connected; they become available and are told their conversations. */
    @Override
    public void connect(DeskAgent agent, DeskListener listener) {
        run(() -> {
            agents.put(agent.id(), agent);
            listeners.computeIfAbsent(agent.id(), id -> new HashSet<>()).add(listener);
            offlineSince.remove(agent.id());
            if (presence.getOrDefault(agent.id(), Presence.OFFLINE) == Presence.OFFLINE) {
                presence.put(agent.id(), Presence.AVAILABLE);
            }
            changedQueues.addAll(agent.queues()); // one more available agent shortens the estimate
            mine(agent.id()).forEach(listener::assigned);
            listener.queuesChanged(snapshotFor(agent.id()));
            if (agent.supervisor()) {
                listener.overviewChanged(overviewOf(agent.connectorId(), store.listAgents(), clock.instant()));
            }
            assignAndAnnounce();
        });
    }

    /** One of the agent's desks disconnected; when none is left, the grace period starts. */
    @Override
    public void disconnect(String agentId, DeskListener listener) {
        run(() -> {
            Set<DeskListener> set = listeners.getOrDefault(agentId, Set.of());
            set.remove(listener);
            if (set.isEmpty()) {
                listeners.remove(agentId);
                presence.put(agentId, Presence.OFFLINE);
                offlineSince.put(agentId, clock.instant());
                overviewDue = true;
                pushOverviews(false);
            }
        });
    }

    @Override
    public void setPresence(String agentId, Presence value) {
        run(() -> {
            if (listeners.containsKey(agentId)) {
                presence.put(agentId, value == Presence.OFFLINE ? Presence.AWAY : value);
                changedQueues.addAll(agents.get(agentId).queues());
                assignAndAnnounce();
            }
        });
    }

    @Override
    public void replied(String agentId, String sessionId) {
        run(() -> {
            HandoffRecord r = open.get(sessionId);
            if (agentId == null || r == null || r.status() != HandoffRecord.Status.ASSIGNED || !agentId.equals(r.agentId())
                    || r.assignedAt() == null || !answeredSinceAssignment.add(sessionId)) {
                return; // not theirs, or not their first message since it became theirs
            }
            Duration delay = Duration.between(r.assignedAt(), clock.instant());
            delay = delay.isNegative() ? Duration.ZERO : delay;
            meter.firstResponse(r.queue(), agentId, delay);
            firstResponsesByQueue.add(r.queue(), delay.toSeconds());
            firstResponsesByAgent.add(agentId, delay.toSeconds());
            overviewDue = true;
            pushOverviews(false);
        });
    }

    @Override
    public void rated(String queue, String agentId, int rating) {
        run(() -> {
            if (queue != null) {
                ratingsByQueue.add(queue, rating);
            }
            if (agentId != null) {
                ratingsByAgent.add(agentId, rating);
            }
            overviewDue = true;
            pushOverviews(false);
        });
    }

    /**
     * The agent takes a conversation: {@code sessionId}, or the oldest waiting one of their queues
     * when null. Empty if it is not (or no longer) available to them.
     */
    @Override
    public CompletionStage<Optional<HandoffRecord>> claim(String agentId, String sessionId) {
        return call(() -> {
            DeskAgent agent = agents.get(agentId);
            if (agent == null || !listeners.containsKey(agentId) || load(agentId) >= agent.capacity()) {
                return Optional.<HandoffRecord>empty();
            }
            Optional<HandoffRecord> pick = Optional.ofNullable(
                    sessionId == null ? oldestWaitingFor(agent) : waitingFor(agent, sessionId));
            pick.ifPresent(r -> assign(r, agent));
            if (pick.isPresent()) {
                announceQueues();
            }
            return pick.map(r -> open.get(r.sessionId()));
        });
    }

    /** True when the conversation is assigned to this agent (desk commands are checked with it). */
    @Override
    public CompletionStage<Boolean> owns(String agentId, String sessionId) {
        return call(() -> {
            HandoffRecord record = open.get(sessionId);
            return record != null && record.status() == HandoffRecord.Status.ASSIGNED && agentId.equals(record.agentId());
        });
    }

    /** The agent ends the conversation: the session ends naturally. */
    @Override
    public CompletionStage<Boolean> finish(String agentId, String sessionId) {
        return call(() -> {
            HandoffRecord record = open.get(sessionId);
            if (record == null || !agentId.equals(record.agentId())) {
                return false;
            }
            // The session journals LEFT and END before the desk stops following it, so the desk sees them.
            conversations.liveAgentFinished(sessionId);
            close(record, Unassignment.Reason.LEFT);
            assignAndAnnounce();
            return true;
        });
    }

    /**
     * The agent steps out and gives the conversation back: it waits again at the head of its queue
     * for a colleague, exactly as after the disconnect grace period (a queue status tells the user,
     * never {@code LIVE_AGENT_LEFT}, which the official SDKs read as the end). False if not theirs.
     */
    @Override
    public CompletionStage<Boolean> leave(String agentId, String sessionId) {
        return call(() -> {
            HandoffRecord record = open.get(sessionId);
            if (record == null || record.status() != HandoffRecord.Status.ASSIGNED || !agentId.equals(record.agentId())) {
                return false;
            }
            handledUntil(record, clock.instant());
            requeue(record, clock.instant());
            leftBy.put(sessionId, agentId);
            notifyAgent(agentId, l -> l.unassigned(sessionId, Unassignment.of(Unassignment.Reason.LEFT)));
            assignAndAnnounce();
            return true;
        });
    }

    /** The agent hands the conversation to another queue, where it waits again. */
    @Override
    public CompletionStage<Boolean> transfer(String agentId, String sessionId, String queue) {
        return call(() -> {
            HandoffRecord record = open.get(sessionId);
            QueueSettings target = queues.get(queue);
            if (record == null || !agentId.equals(record.agentId()) || target == null || !target.open()
                    || !staffed(target, clock.instant())) {
                return false;
            }
            HandoffRecord moved = record.movedTo(queue, clock.instant());
            handledUntil(record, clock.instant());
            save(moved);
            // No LIVE_AGENT_LEFT: the official SDKs read it as the end of the conversation. The
            // queue status below says the user waits again (it also ends the live phase).
            int position = position(moved);
            statuses.tell(moved, position, WaitEstimate.of(this, queue).seconds(position), clock.instant());
            notifyAgent(agentId, l -> l.unassigned(sessionId, Unassignment.of(Unassignment.Reason.TRANSFERRED)));
            assignAndAnnounce();
            return true;
        });
    }

    /** What the agent's desk shows. */
    @Override
    public CompletionStage<DeskSnapshot> snapshot(String agentId) {
        return call(() -> snapshotFor(agentId));
    }

    // ---- supervisors ---------------------------------------------------------------------------

    @Override
    public CompletionStage<Optional<DeskOverview>> overview(String supervisorId) {
        return call(() -> {
            DeskAgent supervisor = account(supervisorId);
            return supervisor == null || !supervisor.supervisor() ? Optional.<DeskOverview>empty()
                    : Optional.of(overviewOf(supervisor.connectorId(), store.listAgents(), clock.instant()));
        });
    }

    @Override
    public CompletionStage<SupervisorResult> watch(String supervisorId, String sessionId) {
        return call(() -> {
            DeskAgent supervisor = account(supervisorId);
            if (supervisor == null || !supervisor.supervisor()) {
                return SupervisorResult.refused(SupervisorResult.Outcome.NOT_SUPERVISOR);
            }
            HandoffRecord r = openOf(supervisor, sessionId);
            return r == null ? SupervisorResult.refused(SupervisorResult.Outcome.NOT_AVAILABLE) : SupervisorResult.done(r);
        });
    }

    /**
     * Like a claim that ignores queues and capacity, also of a conversation another agent holds:
     * that agent is told {@code TAKEN_OVER}. The supervisor must have a desk open, as for a claim.
     */
    @Override
    public CompletionStage<SupervisorResult> takeOver(String supervisorId, String sessionId) {
        return call(() -> {
            DeskAgent supervisor = account(supervisorId);
            if (supervisor == null || !supervisor.supervisor()) {
                return SupervisorResult.refused(SupervisorResult.Outcome.NOT_SUPERVISOR);
            }
            HandoffRecord r = openOf(supervisor, sessionId);
            if (r == null || !listeners.containsKey(supervisorId)) {
                return SupervisorResult.refused(SupervisorResult.Outcome.NOT_AVAILABLE);
            }
            return SupervisorResult.done(moveTo(r, supervisor, Unassignment.by(Unassignment.Reason.TAKEN_OVER, supervisor)));
        });
    }

    /**
     * The target must be present (a desk open) and AVAILABLE, but may be over capacity and outside
     * the conversation's queue: a supervisor chose them on purpose.
     */
    @Override
    public CompletionStage<SupervisorResult> reassign(String supervisorId, String sessionId, String agentId) {
        return call(() -> {
            DeskAgent supervisor = account(supervisorId);
            if (supervisor == null || !supervisor.supervisor()) {
                return SupervisorResult.refused(SupervisorResult.Outcome.NOT_SUPERVISOR);
            }
            HandoffRecord r = openOf(supervisor, sessionId);
            if (r == null) {
                return SupervisorResult.refused(SupervisorResult.Outcome.NOT_AVAILABLE);
            }
            DeskAgent target = agents.get(agentId);
            if (target == null || !target.connectorId().equals(supervisor.connectorId()) || !listeners.containsKey(agentId)
                    || presence.getOrDefault(agentId, Presence.OFFLINE) != Presence.AVAILABLE) {
                return SupervisorResult.refused(SupervisorResult.Outcome.AGENT_NOT_AVAILABLE);
            }
            return SupervisorResult.done(moveTo(r, target, Unassignment.by(Unassignment.Reason.REASSIGNED, supervisor)));
        });
    }

    /** An open conversation of the supervisor's connector, or null (another connector's is as good as absent). */
    private HandoffRecord openOf(DeskAgent supervisor, String sessionId) {
        HandoffRecord r = sessionId == null ? null : open.get(sessionId);
        return r != null && r.connectorId().equals(supervisor.connectorId()) ? r : null;
    }

    /** Gives the conversation to {@code target}; the agent who had it hears {@code why}. */
    private HandoffRecord moveTo(HandoffRecord r, DeskAgent target, Unassignment why) {
        if (target.id().equals(r.agentId())) {
            return r; // already theirs
        }
        if (r.status() == HandoffRecord.Status.WAITING) {
            assign(r, target);
        } else {
            String previous = r.agentId();
            handledUntil(r, clock.instant());
            HandoffRecord moved = r.assignedTo(target.id(), clock.instant());
            save(moved);
            notifyAgent(previous, l -> l.unassigned(r.sessionId(), why));
            // A second LIVE_AGENT_JOINED, no LIVE_AGENT_LEFT: the official SDKs end the conversation on
            // LEFT and show whoever joined last; the session's live agent is the new one from here on.
            conversations.liveAgentJoined(r.sessionId(), target);
            notifyAgent(target.id(), l -> l.assigned(moved));
        }
        assignAndAnnounce(); // the previous agent may have room for the next waiting one
        return open.get(r.sessionId());
    }

    private DeskAgent account(String agentId) {
        return agents.computeIfAbsent(agentId, id -> store.findAgent(id).orElse(null));
    }

    /** A connector's overview: every configured queue, every account of the connector (by name). */
    private DeskOverview overviewOf(String connectorId, List<DeskAgent> accounts, Instant now) {
        List<DeskAgent> team = accounts.stream().filter(a -> a.connectorId().equals(connectorId))
                .sorted(Comparator.comparing(DeskAgent::name, Comparator.nullsLast(Comparator.naturalOrder()))
                        .thenComparing(DeskAgent::id))
                .toList();
        List<DeskOverview.QueueLoad> queueLoads = new ArrayList<>();
        for (QueueSettings q : queues.values()) {
            List<DeskSnapshot.Waiting> waiting = new ArrayList<>();
            long longest = 0;
            int position = 0;
            for (HandoffRecord r : line(q.name()).inOrder()) {
                position++;
                if (r.connectorId().equals(connectorId)) {
                    long waited = Math.max(0, Duration.between(r.enqueuedAt(), now).toSeconds());
                    waiting.add(new DeskSnapshot.Waiting(r.sessionId(), position, waited));
                    longest = Math.max(longest, waited);
                }
            }
            int available = (int) team.stream().filter(a -> a.serves(q.name())
                    && presence.getOrDefault(a.id(), Presence.OFFLINE) == Presence.AVAILABLE).count();
            queueLoads.add(new DeskOverview.QueueLoad(q.name(), waiting, longest, available,
                    recentWaits.roundedAverage(q.name()), new DeskOverview.Service(
                            firstResponsesByQueue.roundedAverage(q.name()), ratingsByQueue.averageToOneDecimal(q.name()))));
        }
        List<DeskOverview.AgentLoad> agentLoads = new ArrayList<>();
        for (DeskAgent a : team) {
            List<HandoffRecord> theirs = mine(a.id());
            agentLoads.add(new DeskOverview.AgentLoad(a.id(), a.name(), a.role(), a.queues(),
                    presence.getOrDefault(a.id(), Presence.OFFLINE), theirs.size(), a.capacity(), theirs,
                    recentHandling.roundedAverage(a.id()), new DeskOverview.Service(
                            firstResponsesByAgent.roundedAverage(a.id()), ratingsByAgent.averageToOneDecimal(a.id()))));
        }
        return new DeskOverview(queueLoads, agentLoads);
    }

    /**
     * Something a supervisor sees may have changed: pushed now unless an overview went out less
     * than {@link #OVERVIEW_SPACING} ago, else by the next tick. {@code tick}: also when only wait
     * times moved. Each connector's overview goes out only when it differs from the last one sent.
     */
    private void pushOverviews(boolean tick) {
        Instant now = clock.instant();
        if ((!overviewDue && !(tick && lines.values().stream().anyMatch(l -> l.head() != null)))
                || now.isBefore(overviewSentAt.plus(OVERVIEW_SPACING))) {
            return;
        }
        overviewDue = false;
        Map<String, List<String>> supervisorsByConnector = new HashMap<>();
        for (String id : listeners.keySet()) {
            DeskAgent a = agents.get(id);
            if (a != null && a.supervisor()) {
                supervisorsByConnector.computeIfAbsent(a.connectorId(), c -> new ArrayList<>()).add(id);
            }
        }
        if (supervisorsByConnector.isEmpty()) {
            overviewsSent.clear();
            return;
        }
        overviewSentAt = now;
        List<DeskAgent> accounts = store.listAgents();
        supervisorsByConnector.forEach((connectorId, supervisors) -> {
            DeskOverview overview = overviewOf(connectorId, accounts, now);
            if (!overview.equals(overviewsSent.put(connectorId, overview))) {
                supervisors.forEach(id -> notifyAgent(id, l -> l.overviewChanged(overview)));
            }
        });
    }

    /** Opens or closes a queue; closing fails every conversation waiting in it. */
    public void setQueueOpen(String queue, boolean isOpen) {
        run(() -> {
            QueueSettings q = queues.get(queue);
            if (q == null) {
                return;
            }
            queues.put(queue, q.withOpen(isOpen));
            if (!isOpen) {
                for (HandoffRecord r : List.copyOf(line(queue).inOrder())) {
                    close(r, Unassignment.Reason.ENDED);
                    conversations.handoffFailed(r.sessionId());
                }
                announceQueues();
            }
        });
    }

    // ---- offline conversations (outside business hours) ----------------------------------------

    /** The unhandled offline conversations of the agent's queues and connector, oldest first. */
    public CompletionStage<List<OfflineConversation>> offlineConversations(String agentId) {
        return call(() -> {
            DeskAgent agent = agents.computeIfAbsent(agentId, id -> store.findAgent(id).orElse(null));
            if (agent == null) {
                return List.<OfflineConversation>of();
            }
            return store.openOfflineConversations().stream().filter(o -> mayHandle(agent, o)).toList();
        });
    }

    /** The agent dealt with it (e.g. wrote back by email): it leaves the list. False if not theirs to handle. */
    public CompletionStage<Boolean> markOfflineHandled(String agentId, String sessionId) {
        return call(() -> {
            DeskAgent agent = agents.computeIfAbsent(agentId, id -> store.findAgent(id).orElse(null));
            boolean mine = agent != null && store.openOfflineConversations().stream()
                    .anyMatch(o -> o.sessionId().equals(sessionId) && mayHandle(agent, o));
            return mine && store.markOfflineHandled(sessionId, agentId, clock.instant());
        });
    }

    private static boolean mayHandle(DeskAgent agent, OfflineConversation o) {
        return OfflineDesk.mayHandle(agent, o);
    }

    /** Inside business hours, or a queue without any. */
    private static boolean staffed(QueueSettings q, Instant now) {
        return q.hours() == null || q.hours().isOpen(now);
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
                    close(r, Unassignment.Reason.ENDED);
                    conversations.handoffTimedOut(r.sessionId());
                    changed = true;
                }
            }
            if (changed) {
                assignAndAnnounce();
            }
            // Every queue, not only changed ones: periodic reminders, and places held back by the spacing.
            changedQueues.addAll(lines.keySet());
            announceStatuses(now);
            pushOverviews(true);
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
                handledUntil(r, now);
                requeue(r, now);
                // Nobody listens by now (the agent's last desk closed), unless a node's socket is late to go.
                notifyAgent(gone.getKey(), l -> l.unassigned(r.sessionId(), Unassignment.of(Unassignment.Reason.REQUEUED)));
                changed = true;
            }
        }
        return changed;
    }

    /** Back to the head of its queue (it keeps its {@code enqueuedAt}); its maximum wait counts from now. */
    private void requeue(HandoffRecord r, Instant now) {
        HandoffRecord back = r.requeued();
        save(back);
        store.saveWaitingSince(r.sessionId(), now);
        waitingAgainSince.put(r.sessionId(), now);
        // As on a transfer: a queue status, never LIVE_AGENT_LEFT, tells the user they wait again.
        int position = position(back);
        statuses.tell(back, position, WaitEstimate.of(this, back.queue()).seconds(position), now);
    }

    // ---- assignment ----------------------------------------------------------------------------

    private void assignAndAnnounce() {
        for (QueueSettings q : queues.values()) {
            if (q.assignment() != QueueSettings.Assignment.AUTO) {
                continue;
            }
            WaitingLine line = line(q.name());
            for (HandoffRecord r = line.head(); r != null; r = line.head()) {
                Optional<DeskAgent> agent = leastLoaded(r);
                if (agent.isEmpty()) {
                    if (leftBy.containsKey(r.sessionId())) {
                        assignBehindGivenBack(line);
                    }
                    break;
                }
                assign(r, agent.get());
            }
        }
        announceQueues();
    }

    /**
     * The head of the line was given back by the only agent free for it: it waits for a colleague,
     * but the conversations behind it may still go to that agent. Walks a copy, so only in this case.
     */
    private void assignBehindGivenBack(WaitingLine line) {
        for (HandoffRecord r : List.copyOf(line.inOrder())) {
            Optional<DeskAgent> agent = leastLoaded(r);
            if (agent.isPresent()) {
                assign(r, agent.get());
            } else if (!leftBy.containsKey(r.sessionId())) {
                return; // nobody free for this one: those behind it wait behind it, as always
            }
        }
    }

    private Optional<DeskAgent> leastLoaded(HandoffRecord r) {
        return agents.values().stream()
                .filter(a -> a.serves(r.queue()) && a.connectorId().equals(r.connectorId()))
                .filter(a -> !a.id().equals(leftBy.get(r.sessionId())))
                .filter(a -> presence.getOrDefault(a.id(), Presence.OFFLINE) == Presence.AVAILABLE)
                .filter(a -> load(a.id()) < a.capacity())
                .min(Comparator.comparingInt((DeskAgent a) -> load(a.id())).thenComparing(DeskAgent::id));
    }

    private void assign(HandoffRecord r, DeskAgent agent) {
        Instant now = clock.instant();
        HandoffRecord assigned = r.assignedTo(agent.id(), now);
        save(assigned);
        recentWaits.add(r.queue(), Duration.between(r.enqueuedAt(), now).toSeconds());
        meter.waited(r.queue(), TeamMeter.WaitOutcome.ASSIGNED, Duration.between(waitStart(r), now));
        answeredSinceAssignment.remove(r.sessionId());
        waitingAgainSince.remove(r.sessionId());
        leftBy.remove(r.sessionId());
        conversations.liveAgentJoined(r.sessionId(), agent);
        notifyAgent(agent.id(), l -> l.assigned(assigned));
    }

    /** Everyone waiting in a changed queue learns their new place; agents see the new lists. */
    private void announceQueues() {
        announceStatuses(clock.instant());
        for (String agentId : List.copyOf(listeners.keySet())) {
            DeskSnapshot snapshot = snapshotFor(agentId);
            notifyAgent(agentId, l -> l.queuesChanged(snapshot));
        }
        overviewDue = true;
        pushOverviews(false);
    }

    /**
     * One walk per changed queue numbers its waiting conversations; the board sends only the
     * statuses that say something new. O(waiting) per change instead of a sort per user.
     */
    private void announceStatuses(Instant now) {
        List<String> changed = List.copyOf(changedQueues);
        changedQueues.clear();
        for (String queue : changed) {
            WaitingLine line = line(queue);
            WaitEstimate estimate = WaitEstimate.of(this, queue);
            int position = 0;
            for (HandoffRecord r : List.copyOf(line.inOrder())) {
                position++;
                statuses.update(r, position, estimate.seconds(position), now);
            }
        }
    }

    // ---- queries -------------------------------------------------------------------------------

    private WaitingLine line(String queue) {
        return lines.computeIfAbsent(queue, q -> new WaitingLine());
    }

    /** {@code sessionId} if it waits in one of the agent's queues for the agent's connector, else null. */
    private HandoffRecord waitingFor(DeskAgent agent, String sessionId) {
        HandoffRecord r = open.get(sessionId);
        boolean mayTake = r != null && r.status() == HandoffRecord.Status.WAITING
                && agent.serves(r.queue()) && agent.connectorId().equals(r.connectorId());
        return mayTake ? r : null;
    }

    /** The longest-waiting conversation across the agent's queues (by place, as one merged list), or null. */
    private HandoffRecord oldestWaitingFor(DeskAgent agent) {
        HandoffRecord oldest = null;
        WaitingLine.Place oldestPlace = null;
        for (Map.Entry<String, WaitingLine> entry : lines.entrySet()) {
            if (!agent.serves(entry.getKey())) {
                continue;
            }
            for (HandoffRecord r : entry.getValue().inOrder()) {
                if (r.connectorId().equals(agent.connectorId())) {
                    WaitingLine.Place place = entry.getValue().placeOf(r.sessionId());
                    if (oldestPlace == null || place.compareTo(oldestPlace) < 0) {
                        oldest = r;
                        oldestPlace = place;
                    }
                    break;
                }
            }
        }
        return oldest;
    }

    private List<HandoffRecord> mine(String agentId) {
        return open.values().stream().filter(r -> agentId.equals(r.agentId())).collect(Collectors.toList());
    }

    private int load(String agentId) {
        return mine(agentId).size();
    }

    private int position(HandoffRecord r) {
        return r.status() == HandoffRecord.Status.WAITING ? line(r.queue()).position(r.sessionId()) : 0;
    }

    /** The inputs of a queue's estimate, worked out once per announcement rather than once per user. */
    private record WaitEstimate(double averageSeconds, long available) {
        static WaitEstimate of(Desk desk, String queue) {
            double average = desk.recentWaits.average(queue).orElse(DEFAULT_WAIT_SECONDS);
            long available = desk.agents.values().stream()
                    .filter(a -> a.serves(queue) && desk.presence.getOrDefault(a.id(), Presence.OFFLINE) == Presence.AVAILABLE)
                    .count();
            return new WaitEstimate(average, available);
        }

        int seconds(int position) {
            return (int) Math.round(Math.max(1, averageSeconds) * position / Math.max(1, available));
        }
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
                for (HandoffRecord r : line(q.name()).inOrder()) {
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
        track(record);
    }

    /** Keeps {@code open}, the waiting lines and the queues to announce in step with a new or changed record. */
    private void track(HandoffRecord record) {
        HandoffRecord before = open.put(record.sessionId(), record);
        long arrival = arrivals.computeIfAbsent(record.sessionId(), id -> nextArrival++);
        leaveLine(before);
        if (record.status() == HandoffRecord.Status.WAITING) {
            line(record.queue()).put(record, arrival);
            changedQueues.add(record.queue());
        } else {
            statuses.forget(record.sessionId());
        }
    }

    private void leaveLine(HandoffRecord record) {
        if (record != null && record.status() == HandoffRecord.Status.WAITING) {
            line(record.queue()).remove(record.sessionId());
            changedQueues.add(record.queue());
        }
    }

    private void close(HandoffRecord record, Unassignment.Reason why) {
        Instant now = clock.instant();
        if (record.status() == HandoffRecord.Status.WAITING) {
            meter.waited(record.queue(), TeamMeter.WaitOutcome.ABANDONED, Duration.between(waitStart(record), now));
        } else {
            handledUntil(record, now);
        }
        store.saveHandoff(record.closed());
        leaveLine(open.remove(record.sessionId()));
        answeredSinceAssignment.remove(record.sessionId());
        arrivals.remove(record.sessionId());
        statuses.forget(record.sessionId());
        waitingAgainSince.remove(record.sessionId());
        leftBy.remove(record.sessionId());
        if (record.agentId() != null) {
            notifyAgent(record.agentId(), l -> l.unassigned(record.sessionId(), Unassignment.of(why)));
        }
    }

    /** When the current wait began: a conversation given back keeps its old enqueuedAt (its place), not its wait. */
    private Instant waitStart(HandoffRecord r) {
        return waitingAgainSince.getOrDefault(r.sessionId(), r.enqueuedAt());
    }

    /** {@code r}'s agent stops holding it at {@code now}. */
    private void handledUntil(HandoffRecord r, Instant now) {
        if (r.status() == HandoffRecord.Status.ASSIGNED && r.agentId() != null && r.assignedAt() != null) {
            Duration handling = Duration.between(r.assignedAt(), now);
            meter.handled(r.queue(), r.agentId(), handling);
            recentHandling.add(r.agentId(), handling.toSeconds());
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
