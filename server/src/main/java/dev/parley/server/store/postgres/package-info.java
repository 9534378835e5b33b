/**
 * The production store ({@code store.kind: postgres}): PostgreSQL through a HikariCP pool, its own
 * Flyway migrations in {@code db/postgresql}. One node for now; the schema keeps room for a session
 * owner's fencing epoch and cross-node head checks (see {@code V1__init.sql}).
 */
package dev.parley.server.store.postgres;
