/**
 * Customer satisfaction (CSAT): the 1–5 rating, with an optional comment, a user gives once a
 * conversation with a live agent is over. Stored per conversation with the queue and the live agent
 * who had it last (from the desk's handoff record), in the same transaction as its {@code csat.given}
 * webhook rows. Framework-free: the REST route ({@code http.CsatRoute}) and the Micrometer meter
 * ({@code metrics.MicrometerCsatMetrics}) live elsewhere.
 */
package dev.parley.server.csat;
