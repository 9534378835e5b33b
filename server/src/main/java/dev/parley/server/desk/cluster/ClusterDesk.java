package dev.parley.server.desk.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.server.desk.Desk;
import dev.parley.server.desk.DeskAgent;
import dev.parley.server.desk.DeskListener;
import dev.parley.server.desk.DeskOverview;
import dev.parley.server.desk.DeskPort;
import dev.parley.server.desk.DeskSnapshot;
import dev.parley.server.desk.DeskStore;
import dev.parley.server.desk.EnqueueResult;
import dev.parley.server.desk.HandoffRecord;
import dev.parley.server.desk.LiveAgentDesk;
import dev.parley.server.desk.Presence;
import dev.parley.server.desk.SupervisorResult;
import dev.parley.server.desk.Unassignment;
import dev.parley.server.fanout.FanOut;
import dev.parley.server.store.DeskLeadership;
import dev.parley.server.time.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desk of one node among several (issue 11). Exactly one node, the leader (lease with a fencing
 * epoch in the store, {@link DeskLeadership}), runs a {@link Desk}: queues, positions, estimates,
 * claims, automatic assignment and the queue timers exist once, so a claim race between two nodes
 * has one winner and a timeout fires once. On the leader every call goes straight to its Desk; on
 * any other node it travels to the leader over the fan-out ({@link DeskMessages}): calls that need
 * an answer wait for a reply (at most {@link #CALL_TIMEOUT}; a timeout is a failure, "desk
 * unavailable"), the desk's callbacks for an agent's socket here come back as messages.
 *
 * <p>Every node knows its own agents' sockets and registers them with each new leader (a new term
 * reloads the queues from the store, as a restart does), and tells the leader every renewal that
 * it is alive, so the sockets of a node that died are forgotten after a lease ttl and their
 * conversations go back to their queues after the desk's grace period.
 */
public final class ClusterDesk implements DeskPort, LiveAgentDesk {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterDesk.class);
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    private final String nodeId;
    private final DeskLeadership leadership;
    /** Builds the Desk of a new term on its fenced store. */
    private final Function<DeskStore, Desk> desks;
    private final FanOut fanOut;
    private final Scheduler scheduler;
    /** For the liveness of other nodes only (not a protocol timer): monotonic, never the desk's clock. */
    private final LongSupplier nanos;
    private final long staleAfterNanos;

    /** The Desk while this node leads, else null; its term. Written only by {@link #renew}. */
    private volatile Desk local;
    private volatile long term = -1;
    private volatile long termStartedAt;
    /** The leader as last seen; null while nobody leads. */
    private volatile String leader;

    /** The agents' sockets on this node, by id, and the id of each. */
    private final Map<String, Registered> listeners = new ConcurrentHashMap<>();
    private final Map<DeskListener, String> listenerIds = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong();
    /** On the leader: the sockets of other nodes ({@code node/id}), and when each node last said it is alive. */
    private final Map<String, RemoteListener> remote = new ConcurrentHashMap<>();
    private final Map<String, Long> aliveAt = new ConcurrentHashMap<>();
    /** Calls sent to the leader and not answered yet. */
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    private record Registered(DeskAgent agent, DeskListener listener) {
    }

    /**
     * @param inbound where this node's desk messages are handled, one at a time in arrival order
     *                (the desk's own executor: nothing there blocks for long)
     * @param ttl     the leader lease's ttl: other nodes silent for longer are taken for dead
     */
    public ClusterDesk(String nodeId, DeskLeadership leadership, Function<DeskStore, Desk> desks, FanOut fanOut,
                       Executor inbound, Scheduler scheduler, Duration ttl, LongSupplier nanos) {
        this.nodeId = nodeId;
        this.leadership = leadership;
        this.desks = desks;
        this.fanOut = fanOut;
        this.scheduler = scheduler;
        this.nanos = nanos;
        this.staleAfterNanos = ttl.toNanos();
        fanOut.subscribe(DeskMessages.topic(nodeId), message -> inbound.execute(() -> {
            try {
                DeskMessages.parse(message).ifPresent(this::received);
            } catch (RuntimeException e) {
                LOG.warn("desk message not handled: {}", message, e);
            }
        }));
    }

    /** The Desk while this node leads (tests, queue administration). */
    public Optional<Desk> localDesk() {
        return Optional.ofNullable(local);
    }

    /** The leader as last seen. */
    public Optional<String> leader() {
        return Optional.ofNullable(leader);
    }

    // ---- leadership (renewal timer, on a worker: blocks) ---------------------------------------

    /**
     * Renews this node's lease or takes it once it expired (a new term: a new Desk, reloaded from
     * the store); learns who leads otherwise, registers this node's sockets with a new leader and
     * tells the leader this node is alive. Synchronized: a slow renewal and the next one never
     * overlap (two terms started at once).
     */
    public synchronized void renew() {
        Optional<DeskLeadership.Term> now;
        try {
            now = leadership.claim();
        } catch (RuntimeException e) {
            LOG.warn("desk leadership not renewed: {}", e.getMessage());
            return; // the store is down: a leader keeps leading until its writes are fenced
        }
        String before = leader;
        if (now.isPresent() && now.get().leader().equals(nodeId)) {
            if (local == null || term != now.get().epoch()) {
                startTerm(now.get().epoch());
            }
            dropSilentNodes();
        } else if (local != null) {
            LOG.info("desk leadership lost to {}", now.map(DeskLeadership.Term::leader).orElse("nobody"));
            local = null;
            term = -1;
            remote.clear();
        }
        leader = now.map(DeskLeadership.Term::leader).orElse(null);
        if (leader != null && !leader.equals(nodeId)) {
            if (!leader.equals(before)) {
                listeners.forEach((id, r) -> tell(connectMessage(id, r.agent())));
            }
            tell(DeskMessages.message("tell", nodeId).put("op", "alive"));
        }
    }

    private void startTerm(long epoch) {
        Desk desk = desks.apply(leadership.fenced(epoch));
        desk.recover(); // queued first on the desk's executor: every later call finds the queues loaded
        remote.clear();
        aliveAt.clear();
        termStartedAt = nanos.getAsLong();
        term = epoch;
        local = desk;
        LOG.info("this node leads the desk (term {})", epoch);
        listeners.values().forEach(r -> desk.connect(r.agent(), r.listener()));
    }

    /** Sockets of a node not heard from within a ttl are disconnected (the node died). */
    private void dropSilentNodes() {
        Desk desk = local;
        long now = nanos.getAsLong();
        remote.forEach((key, listener) -> {
            long seen = aliveAt.getOrDefault(listener.node, termStartedAt);
            if (now - seen > staleAfterNanos && remote.remove(key, listener)) {
                LOG.info("desk socket {} of silent node {} dropped", listener.id, listener.node);
                desk.disconnect(listener.agentId, listener);
            }
        });
    }

    /** A graceful stop: the lease is given up, so another node leads at once. Blocks. */
    public synchronized void release() {
        if (local != null) {
            local = null;
            try {
                leadership.release();
            } catch (RuntimeException e) {
                LOG.warn("desk leadership not given up; it expires by itself", e);
            }
        }
    }

    /** The desk's timers, once a second: on the leader only, so a timeout fires once in the cluster. */
    public void tick() {
        Desk desk = local;
        if (desk != null) {
            desk.tick();
        }
    }

    // ---- DeskPort ------------------------------------------------------------------------------

    @Override
    public void connect(DeskAgent agent, DeskListener listener) {
        String id = Long.toString(nextId.incrementAndGet());
        listeners.put(id, new Registered(agent, listener));
        listenerIds.put(listener, id);
        Desk desk = local;
        if (desk != null) {
            desk.connect(agent, listener);
        } else {
            tell(connectMessage(id, agent));
        }
    }

    @Override
    public void disconnect(String agentId, DeskListener listener) {
        String id = listenerIds.remove(listener);
        if (id == null) {
            return;
        }
        listeners.remove(id);
        Desk desk = local;
        if (desk != null) {
            desk.disconnect(agentId, listener);
        } else {
            tell(DeskMessages.message("tell", nodeId).put("op", "disconnect").put("agent", agentId).put("listener", id));
        }
    }

    @Override
    public void setPresence(String agentId, Presence value) {
        Desk desk = local;
        if (desk != null) {
            desk.setPresence(agentId, value);
        } else {
            tell(DeskMessages.message("tell", nodeId).put("op", "presence").put("agent", agentId).put("presence", value.name()));
        }
    }

    @Override
    public void replied(String agentId, String sessionId) {
        Desk desk = local;
        if (desk != null) {
            desk.replied(agentId, sessionId);
        } else {
            tell(DeskMessages.message("tell", nodeId).put("op", "replied").put("agent", agentId).put("session", sessionId));
        }
    }

    @Override
    public void rated(String queue, String agentId, int rating) {
        Desk desk = local;
        if (desk != null) {
            desk.rated(queue, agentId, rating);
        } else {
            tell(DeskMessages.message("tell", nodeId).put("op", "rated").put("queue", queue).put("agent", agentId)
                    .put("rating", rating));
        }
    }

    @Override
    public CompletionStage<Optional<HandoffRecord>> claim(String agentId, String sessionId) {
        Desk desk = local;
        if (desk != null) {
            return desk.claim(agentId, sessionId);
        }
        return call(callMessage("claim").put("agent", agentId).put("session", sessionId))
                .thenApply(v -> v.isNull() || v.isMissingNode() ? Optional.<HandoffRecord>empty() : Optional.of(DeskMessages.record(v)));
    }

    @Override
    public CompletionStage<Boolean> owns(String agentId, String sessionId) {
        Desk desk = local;
        return desk != null ? desk.owns(agentId, sessionId)
                : call(callMessage("owns").put("agent", agentId).put("session", sessionId)).thenApply(JsonNode::asBoolean);
    }

    @Override
    public CompletionStage<Boolean> finish(String agentId, String sessionId) {
        Desk desk = local;
        return desk != null ? desk.finish(agentId, sessionId)
                : call(callMessage("finish").put("agent", agentId).put("session", sessionId)).thenApply(JsonNode::asBoolean);
    }

    @Override
    public CompletionStage<Boolean> leave(String agentId, String sessionId) {
        Desk desk = local;
        return desk != null ? desk.leave(agentId, sessionId)
                : call(callMessage("leave").put("agent", agentId).put("session", sessionId)).thenApply(JsonNode::asBoolean);
    }

    @Override
    public CompletionStage<Boolean> transfer(String agentId, String sessionId, String queue) {
        Desk desk = local;
        return desk != null ? desk.transfer(agentId, sessionId, queue)
                : call(callMessage("transfer").put("agent", agentId).put("session", sessionId).put("queue", queue))
                        .thenApply(JsonNode::asBoolean);
    }

    @Override
    public CompletionStage<DeskSnapshot> snapshot(String agentId) {
        Desk desk = local;
        return desk != null ? desk.snapshot(agentId)
                : call(callMessage("snapshot").put("agent", agentId)).thenApply(DeskMessages::snapshot);
    }

    @Override
    public CompletionStage<Optional<DeskOverview>> overview(String supervisorId) {
        Desk desk = local;
        return desk != null ? desk.overview(supervisorId)
                : call(callMessage("overview").put("agent", supervisorId))
                        .thenApply(v -> v.isObject() ? Optional.of(DeskMessages.overview(v)) : Optional.<DeskOverview>empty());
    }

    @Override
    public CompletionStage<SupervisorResult> watch(String supervisorId, String sessionId) {
        Desk desk = local;
        return desk != null ? desk.watch(supervisorId, sessionId)
                : call(callMessage("watch").put("agent", supervisorId).put("session", sessionId))
                        .thenApply(DeskMessages::supervisorResult);
    }

    @Override
    public CompletionStage<SupervisorResult> takeOver(String supervisorId, String sessionId) {
        Desk desk = local;
        return desk != null ? desk.takeOver(supervisorId, sessionId)
                : call(callMessage("take_over").put("agent", supervisorId).put("session", sessionId))
                        .thenApply(DeskMessages::supervisorResult);
    }

    @Override
    public CompletionStage<SupervisorResult> reassign(String supervisorId, String sessionId, String agentId) {
        Desk desk = local;
        return desk != null ? desk.reassign(supervisorId, sessionId, agentId)
                : call(callMessage("reassign").put("agent", supervisorId).put("session", sessionId).put("target", agentId))
                        .thenApply(DeskMessages::supervisorResult);
    }

    // ---- LiveAgentDesk -------------------------------------------------------------------------

    @Override
    public CompletionStage<EnqueueResult> enqueue(String sessionId, String connectorId, String queue) {
        Desk desk = local;
        return desk != null ? desk.enqueue(sessionId, connectorId, queue)
                : call(callMessage("enqueue").put("session", sessionId).put("connector", connectorId).put("queue", queue))
                        .thenApply(DeskMessages::enqueueResult);
    }

    @Override
    public void accepted(String sessionId) {
        Desk desk = local;
        if (desk != null) {
            desk.accepted(sessionId);
        } else {
            tell(DeskMessages.message("tell", nodeId).put("op", "accepted").put("session", sessionId));
        }
    }

    @Override
    public void sessionEnded(String sessionId) {
        Desk desk = local;
        if (desk != null) {
            desk.sessionEnded(sessionId);
        } else {
            tell(DeskMessages.message("tell", nodeId).put("op", "ended").put("session", sessionId));
        }
    }

    // ---- to the leader -------------------------------------------------------------------------

    private ObjectNode connectMessage(String id, DeskAgent agent) {
        ObjectNode message = DeskMessages.message("tell", nodeId).put("op", "connect").put("listener", id);
        message.set("agent", DeskMessages.agent(agent));
        return message;
    }

    private ObjectNode callMessage(String op) {
        return DeskMessages.message("call", nodeId).put("op", op).put("id", nextId.incrementAndGet());
    }

    /** Fire and forget: lost when no leader is known or the fan-out is down (the leader's timers and the next renewal repair most). */
    private void tell(ObjectNode message) {
        String to = leader;
        if (to == null) {
            LOG.debug("no desk leader: {} dropped", message.path("op").asText());
            return;
        }
        fanOut.publish(DeskMessages.topic(to), message.toString());
    }

    private CompletionStage<JsonNode> call(ObjectNode message) {
        String to = leader;
        if (to == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no desk leader"));
        }
        long id = message.path("id").asLong();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        scheduler.schedule(CALL_TIMEOUT, () -> {
            CompletableFuture<JsonNode> late = pending.remove(id);
            if (late != null) {
                late.completeExceptionally(new TimeoutException("the desk leader did not answer in " + CALL_TIMEOUT));
            }
        });
        fanOut.publish(DeskMessages.topic(to), message.toString());
        return answer;
    }

    // ---- from other nodes (one at a time) ------------------------------------------------------

    private void received(JsonNode m) {
        String kind = m.path("kind").asText();
        String from = m.path("from").asText();
        switch (kind) {
            case "call" -> answerCall(from, m);
            case "tell" -> told(from, m);
            case "reply" -> {
                CompletableFuture<JsonNode> waiting = pending.remove(m.path("id").asLong());
                if (waiting != null) {
                    if (m.path("ok").asBoolean()) {
                        waiting.complete(m.path("value"));
                    } else {
                        waiting.completeExceptionally(new IllegalStateException(m.path("error").asText("desk unavailable")));
                    }
                }
            }
            case "listener" -> toListener(m);
            default -> { } // a newer node's message
        }
    }

    private void answerCall(String from, JsonNode m) {
        Desk desk = local;
        long id = m.path("id").asLong();
        if (desk == null) {
            reply(from, id, null, "not the desk leader");
            return;
        }
        String agent = m.path("agent").asText(null);
        String session = m.path("session").asText(null);
        CompletionStage<JsonNode> value = switch (m.path("op").asText()) {
            case "enqueue" -> desk.enqueue(session, m.path("connector").asText(), m.path("queue").asText())
                    .thenApply(DeskMessages::enqueueResult);
            case "claim" -> desk.claim(agent, session)
                    .thenApply(won -> won.map(DeskMessages::record).orElse(DeskMessages.JSON.nullNode()));
            case "owns" -> desk.owns(agent, session).thenApply(b -> (JsonNode) DeskMessages.JSON.getNodeFactory().booleanNode(b));
            case "finish" -> desk.finish(agent, session).thenApply(b -> (JsonNode) DeskMessages.JSON.getNodeFactory().booleanNode(b));
            case "leave" -> desk.leave(agent, session).thenApply(b -> (JsonNode) DeskMessages.JSON.getNodeFactory().booleanNode(b));
            case "transfer" -> desk.transfer(agent, session, m.path("queue").asText()).thenApply(b -> (JsonNode) DeskMessages.JSON.getNodeFactory().booleanNode(b));
            case "snapshot" -> desk.snapshot(agent).thenApply(DeskMessages::snapshot);
            case "overview" -> desk.overview(agent)
                    .thenApply(o -> o.map(DeskMessages::overview).orElse(DeskMessages.JSON.nullNode()));
            case "watch" -> desk.watch(agent, session).thenApply(DeskMessages::supervisorResult);
            case "take_over" -> desk.takeOver(agent, session).thenApply(DeskMessages::supervisorResult);
            case "reassign" -> desk.reassign(agent, session, m.path("target").asText(null))
                    .thenApply(DeskMessages::supervisorResult);
            default -> CompletableFuture.failedFuture(new IllegalArgumentException("unknown desk call"));
        };
        value.whenComplete((v, failure) -> reply(from, id, failure == null ? v : null,
                failure == null ? null : "desk unavailable"));
    }

    private void reply(String to, long id, JsonNode value, String error) {
        ObjectNode reply = DeskMessages.message("reply", nodeId).put("id", id).put("ok", error == null);
        if (error == null) {
            reply.set("value", value);
        } else {
            reply.put("error", error);
        }
        fanOut.publish(DeskMessages.topic(to), reply.toString());
    }

    private void told(String from, JsonNode m) {
        Desk desk = local;
        if (desk == null) {
            return; // the sender learns the new leader at its next renewal and registers its sockets there
        }
        aliveAt.put(from, nanos.getAsLong());
        String agent = m.path("agent").isTextual() ? m.path("agent").asText() : null;
        switch (m.path("op").asText()) {
            case "connect" -> {
                DeskAgent who = DeskMessages.agent(m.path("agent"));
                String key = from + "/" + m.path("listener").asText();
                RemoteListener listener = new RemoteListener(from, m.path("listener").asText(), who.id());
                RemoteListener before = remote.put(key, listener);
                if (before != null) {
                    desk.disconnect(who.id(), before); // registered again (a new term seen late): one listener each
                }
                desk.connect(who, listener);
            }
            case "disconnect" -> {
                RemoteListener listener = remote.remove(from + "/" + m.path("listener").asText());
                if (listener != null) {
                    desk.disconnect(listener.agentId, listener);
                }
            }
            case "presence" -> desk.setPresence(agent, Presence.valueOf(m.path("presence").asText()));
            case "accepted" -> desk.accepted(m.path("session").asText());
            case "replied" -> desk.replied(agent, m.path("session").asText());
            case "rated" -> desk.rated(m.path("queue").asText(null), m.path("agent").asText(null), m.path("rating").asInt());
            case "ended" -> desk.sessionEnded(m.path("session").asText());
            default -> { } // alive, or a newer node's message
        }
    }

    private void toListener(JsonNode m) {
        Registered r = listeners.get(m.path("listener").asText());
        if (r == null) {
            return; // the socket closed meanwhile
        }
        JsonNode value = m.path("value");
        switch (m.path("event").asText()) {
            case "queues" -> r.listener().queuesChanged(DeskMessages.snapshot(value));
            case "assigned" -> r.listener().assigned(DeskMessages.record(value));
            case "unassigned" -> r.listener().unassigned(DeskMessages.unassignedSession(value),
                    DeskMessages.unassignment(value));
            case "overview" -> r.listener().overviewChanged(DeskMessages.overview(value));
            default -> { }
        }
    }

    /** On the leader: an agent's socket on another node; its callbacks travel to that node. */
    private final class RemoteListener implements DeskListener {
        final String node;
        final String id;
        final String agentId;

        RemoteListener(String node, String id, String agentId) {
            this.node = node;
            this.id = id;
            this.agentId = agentId;
        }

        @Override
        public void queuesChanged(DeskSnapshot snapshot) {
            send("queues", DeskMessages.snapshot(snapshot));
        }

        @Override
        public void assigned(HandoffRecord conversation) {
            send("assigned", DeskMessages.record(conversation));
        }

        @Override
        public void unassigned(String sessionId, Unassignment why) {
            send("unassigned", DeskMessages.unassigned(sessionId, why));
        }

        @Override
        public void overviewChanged(DeskOverview overview) {
            send("overview", DeskMessages.overview(overview));
        }

        private void send(String event, JsonNode value) {
            ObjectNode message = DeskMessages.message("listener", nodeId).put("listener", id).put("event", event);
            message.set("value", value);
            fanOut.publish(DeskMessages.topic(node), message.toString());
        }
    }

    /** For tests: the sockets of other nodes the leader knows. */
    int remoteListeners() {
        return remote.size();
    }

    List<String> localListenerIds() {
        return List.copyOf(listeners.keySet());
    }
}
