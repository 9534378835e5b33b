package dev.parley.server;

import dev.parley.server.config.ParleyConfig;

/** Placeholder so the CLI compiles; the lead replaces this with the real composition root. */
public final class ParleyServer implements AutoCloseable {

    private ParleyServer() {
    }

    public static ParleyServer start(ParleyConfig config) {
        throw new UnsupportedOperationException("ParleyServer is not wired yet");
    }

    public int port() {
        throw new UnsupportedOperationException("ParleyServer is not wired yet");
    }

    @Override
    public void close() {
    }
}
