/**
 * Storage ports (journal, sessions, connectors) and the group-commit writer that batches journal appends across sessions. Adapters live in sub-packages.
 */
package dev.parley.server.store;
