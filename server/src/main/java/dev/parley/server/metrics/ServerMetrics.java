package dev.parley.server.metrics;

import dev.parley.server.fanout.RedisFanOut;
import dev.parley.server.limits.RedisLimits;
import dev.parley.server.http.OutboundBudget;
import dev.parley.server.session.ClusterCounters;
import dev.parley.server.session.SessionRegistry;
import dev.parley.server.store.GroupCommitWriter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** Node-level meters read from counters the parts already keep, so they cost nothing until scraped. */
public final class ServerMetrics {
    private ServerMetrics() {
    }

    /**
     * {@code parley.sessions.live}, {@code parley.journal.batches}, {@code parley.journal.events},
     * and between nodes {@code parley.cluster.lease.moves}, {@code .refills}, {@code .gaps}, {@code .deposed}.
     */
    public static void bind(MeterRegistry registry, SessionRegistry sessions, GroupCommitWriter journal) {
        Gauge.builder("parley.sessions.live", sessions, SessionRegistry::liveCount)
                .description("Sessions held in memory on this node").register(registry);
        ClusterCounters cluster = sessions.cluster();
        FunctionCounter.builder("parley.cluster.lease.moves", cluster, ClusterCounters::leaseMoves)
                .description("Sessions this node took over from another node's lease").register(registry);
        FunctionCounter.builder("parley.cluster.refills", cluster, ClusterCounters::refills)
                .description("Follower reads of the store that found events for their sockets").register(registry);
        FunctionCounter.builder("parley.cluster.gaps", cluster, ClusterCounters::gaps)
                .description("Stored events a follower found no doorbell for").register(registry);
        FunctionCounter.builder("parley.cluster.deposed", cluster, ClusterCounters::deposed)
                .description("Session actors stopped here because another node holds the lease").register(registry);
        FunctionCounter.builder("parley.journal.batches", journal, GroupCommitWriter::batchesWritten)
                .description("Group commits written to the journal").register(registry);
        FunctionCounter.builder("parley.journal.events", journal, GroupCommitWriter::eventsWritten)
                .description("Events written to the journal").register(registry);
    }

    /**
     * {@code parley.outbound.queued.bytes} (now), {@code parley.outbound.queued.peak.bytes} (most
     * ever), {@code parley.outbound.budget.bytes} and {@code parley.outbound.slow.consumers} (closed, 1008).
     */
    public static void bindOutbound(MeterRegistry registry, OutboundBudget outbound) {
        Gauge.builder("parley.outbound.queued.bytes", outbound, OutboundBudget::queuedBytes)
                .description("Bytes queued for WebSockets, not yet written to the kernel").register(registry);
        Gauge.builder("parley.outbound.queued.peak.bytes", outbound, OutboundBudget::peakBytes)
                .description("The most bytes ever queued for WebSockets at once").register(registry);
        Gauge.builder("parley.outbound.budget.bytes", outbound, OutboundBudget::budgetBytes)
                .description("The node's budget for queued outbound bytes").register(registry);
        FunctionCounter.builder("parley.outbound.slow.consumers", outbound, OutboundBudget::slowConsumersClosed)
                .description("Sockets closed with 1008 for not reading").register(registry);
    }

    /**
     * The Redis fan-out: {@code parley.fanout.published}, {@code parley.fanout.dropped} (down, over
     * the in-flight bound, or failed), {@code parley.fanout.reconnects}, {@code parley.fanout.gaps}
     * (times receivers were told to refill), {@code parley.fanout.healthy} (1 or 0) and
     * {@code parley.fanout.doorbell.lag.seconds} (the last self-ping's round trip through Redis).
     */
    public static void bindFanOut(MeterRegistry registry, RedisFanOut fanOut) {
        FunctionCounter.builder("parley.fanout.published", fanOut, RedisFanOut::published)
                .description("Doorbells Redis acknowledged").register(registry);
        FunctionCounter.builder("parley.fanout.dropped", fanOut, RedisFanOut::dropped)
                .description("Doorbells dropped (receivers refill)").register(registry);
        FunctionCounter.builder("parley.fanout.reconnects", fanOut, RedisFanOut::reconnects)
                .description("Redis links re-established").register(registry);
        FunctionCounter.builder("parley.fanout.gaps", fanOut, RedisFanOut::gapSignals)
                .description("Times receivers were told deliveries may have been lost").register(registry);
        Gauge.builder("parley.fanout.healthy", fanOut, f -> f.healthy() ? 1 : 0)
                .description("Whether the last self-ping came back in time").register(registry);
        Gauge.builder("parley.fanout.doorbell.lag.seconds", fanOut, f -> f.doorbellLag().toNanos() / 1e9)
                .description("Round trip of the last self-ping through Redis").register(registry);
    }

    /** The limits shared by all nodes through Redis (issue 11): how often each node had to answer alone. */
    public static void bindSharedLimits(MeterRegistry registry, RedisLimits limits) {
        FunctionCounter.builder("parley.limits.shared.answered", limits, RedisLimits::answered)
                .description("Limit checks Redis answered for all nodes").register(registry);
        FunctionCounter.builder("parley.limits.shared.fallbacks", limits, RedisLimits::fallbacks)
                .description("Limit checks this node answered with its own counts (Redis down, slow or busy)")
                .register(registry);
        FunctionCounter.builder("parley.limits.shared.failures", limits, RedisLimits::failures)
                .description("Limit checks sent to Redis that failed or timed out").register(registry);
        Gauge.builder("parley.limits.shared.healthy", limits, l -> l.healthy() ? 1 : 0)
                .description("Whether the last limit check Redis was asked succeeded").register(registry);
    }

    /**
     * Counts a new HTTP connection under {@code parley.http.connections}, tagged with the event loop
     * that accepted it (call on that loop): shows whether the loops share the connections.
     */
    public static void connectionAccepted(MeterRegistry registry) {
        registry.counter("parley.http.connections", "event_loop", Thread.currentThread().getName()).increment();
    }
}
