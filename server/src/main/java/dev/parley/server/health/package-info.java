/**
 * What a node depends on (store, fan-out) and whether each is up right now: the answer of
 * {@code /healthz} and {@code /readyz}. Framework-free; the HTTP side is {@code http.HealthRoute}.
 */
package dev.parley.server.health;
