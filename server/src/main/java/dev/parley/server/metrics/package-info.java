/** Micrometer meters of a node, scraped by Prometheus at {@code GET /metrics}. */
package dev.parley.server.metrics;
