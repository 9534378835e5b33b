package dev.parley.server.health;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The node's dependencies and how much each matters. An essential one down (the store: no echo
 * without durability) makes the node {@link Status#UNHEALTHY}; an optional one down (Redis: nodes
 * keep serving by polling the store) makes it {@link Status#DEGRADED} but still ready. Immutable;
 * each check reads the dependencies' own last verdict, so it is cheap and never blocks.
 */
public final class NodeHealth {
    private final List<Dependency> dependencies;

    private NodeHealth(List<Dependency> dependencies) {
        this.dependencies = List.copyOf(dependencies);
    }

    /** A node with nothing outside itself to check (the single-node default). */
    public static NodeHealth none() {
        return new NodeHealth(List.of());
    }

    public NodeHealth with(Dependency dependency) {
        List<Dependency> more = new ArrayList<>(dependencies);
        more.add(dependency);
        return new NodeHealth(more);
    }

    public Report check() {
        Map<String, Dependency.State> states = new LinkedHashMap<>();
        Status status = Status.OK;
        for (Dependency d : dependencies) {
            boolean up = d.up().getAsBoolean();
            states.put(d.name(), new Dependency.State(d.kind(), up, d.essential()));
            if (!up) {
                status = d.essential() ? Status.UNHEALTHY : status == Status.UNHEALTHY ? status : Status.DEGRADED;
            }
        }
        return new Report(status, states);
    }

    /** {@code ok}: everything up; {@code degraded}: serving without an optional dependency; {@code unhealthy}: not serving. */
    public enum Status {
        OK, DEGRADED, UNHEALTHY;

        public String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * @param name what {@code /healthz} calls it ({@code store}, {@code fanout})
     * @param kind which adapter ({@code postgres}, {@code redis})
     * @param essential whether the node stops serving without it
     * @param up its own last verdict; must not block
     */
    public record Dependency(String name, String kind, boolean essential, BooleanSupplier up) {
        public static Dependency essential(String name, String kind, BooleanSupplier up) {
            return new Dependency(name, kind, true, up);
        }

        public static Dependency optional(String name, String kind, BooleanSupplier up) {
            return new Dependency(name, kind, false, up);
        }

        /** One dependency's state in a {@link Report}. */
        public record State(String kind, boolean up, boolean essential) {
        }
    }

    /** The node's status and each dependency's state, in registration order. */
    public record Report(Status status, Map<String, Dependency.State> dependencies) {
        /** The names of the dependencies that are down. */
        public List<String> down() {
            return dependencies.entrySet().stream().filter(e -> !e.getValue().up()).map(Map.Entry::getKey).toList();
        }
    }
}
