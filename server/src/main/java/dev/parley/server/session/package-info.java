/**
 * Sessions as serial actors: sequencing, echoes, idempotency, replay, timers and the AI agent's turns. Framework-free: it talks to sockets through {@link dev.parley.server.session.Connection} and to storage through the store ports.
 */
package dev.parley.server.session;
