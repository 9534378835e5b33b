/** Flyway schema migrations of the stores, and the check a node makes at start-up when it does not migrate. */
package dev.parley.server.store.migration;
