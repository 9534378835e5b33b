package dev.parley.server;

import dev.parley.server.config.FanOutConfig;
import dev.parley.server.fanout.FanOut;
import dev.parley.server.fanout.InMemoryFanOut;
import dev.parley.server.fanout.RedisFanOut;

/**
 * Opens the fan-out {@code fanout.kind} names: in process for one node, or Redis at {@code fanout.url}.
 * Opening Redis never waits for it: the node starts, and serves by polling the store, until Redis answers.
 */
public final class FanOutFactory {
    private FanOutFactory() {
    }

    public static FanOut open(FanOutConfig config) {
        return open(config, RedisFanOut.Settings.DEFAULTS);
    }

    /** With the Redis adapter's timings given (tests shorten them). */
    public static FanOut open(FanOutConfig config, RedisFanOut.Settings redis) {
        return switch (config.kind()) {
            case MEMORY -> InMemoryFanOut.standalone();
            case REDIS -> RedisFanOut.connect(config.url(), redis);
        };
    }
}
