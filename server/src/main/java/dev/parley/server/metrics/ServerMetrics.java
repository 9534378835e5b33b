package dev.parley.server.metrics;

import dev.parley.server.http.OutboundBudget;
import dev.parley.server.session.SessionRegistry;
import dev.parley.server.store.GroupCommitWriter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** Node-level meters read from counters the parts already keep, so they cost nothing until scraped. */
public final class ServerMetrics {
    private ServerMetrics() {
    }

    /** {@code parley.sessions.live}, {@code parley.journal.batches}, {@code parley.journal.events}. */
    public static void bind(MeterRegistry registry, SessionRegistry sessions, GroupCommitWriter journal) {
        Gauge.builder("parley.sessions.live", sessions, SessionRegistry::liveCount)
                .description("Sessions held in memory on this node").register(registry);
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
     * Counts a new HTTP connection under {@code parley.http.connections}, tagged with the event loop
     * that accepted it (call on that loop): shows whether the loops share the connections.
     */
    public static void connectionAccepted(MeterRegistry registry) {
        registry.counter("parley.http.connections", "event_loop", Thread.currentThread().getName()).increment();
    }
}
