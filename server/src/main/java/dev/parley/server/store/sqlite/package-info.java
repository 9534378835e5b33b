/**
 * The embedded default store: one SQLite file in WAL mode, migrated by Flyway, with one writer connection and a small read pool.
 */
package dev.parley.server.store.sqlite;
