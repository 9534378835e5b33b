package dev.parley.server.metrics;

import dev.parley.server.csat.CsatMetrics;
import dev.parley.server.csat.CsatRating;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * {@link CsatMetrics} over Micrometer: the distribution summary {@code parley.desk.csat{queue,agent}}
 * of the ratings this node stored (Prometheus: {@code parley_desk_csat_count}, {@code _sum},
 * {@code _max}, and {@code parley_desk_csat_bucket{le="1.0"…"5.0"}}, so the share of each rating
 * can be read as well as the average). {@code agent} is the live agent's id: one per desk account,
 * so the cardinality is queues × agents, both set by the operator.
 */
public final class MicrometerCsatMetrics implements CsatMetrics {
    public static final String CSAT = "parley.desk.csat";

    private final MeterRegistry registry;

    public MicrometerCsatMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void rated(CsatRating rating) {
        // Micrometer returns the registered summary for the same name and tags: ratings are rare, no cache needed.
        DistributionSummary.builder(CSAT)
                .description("CSAT ratings (1-5) given after conversations with live agents")
                .tag("queue", rating.queue())
                .tag("agent", rating.agentId())
                .serviceLevelObjectives(1, 2, 3, 4, 5)
                .register(registry)
                .record(rating.rating());
    }
}
