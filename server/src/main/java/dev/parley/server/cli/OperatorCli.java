package dev.parley.server.cli;

import dev.parley.server.store.ConnectorStore;
import dev.parley.server.store.NodeStore;
import dev.parley.server.store.OperatorStore;

/** The operator view of the store a command opened. */
final class OperatorCli {
    private OperatorCli() {
    }

    static OperatorStore operators(ConnectorStore store) {
        return node(store).operators();
    }

    static NodeStore node(ConnectorStore store) {
        if (!(store instanceof NodeStore node)) {
            throw new IllegalStateException("this store has no operator data");
        }
        return node;
    }
}
