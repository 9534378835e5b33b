/**
 * Who may talk to Parley: connector tokens and their hashes, host matching, the connector check of
 * {@code POST /api/v1/access-token}, access-token JWTs and rate limiting. No framework types: the
 * HTTP layer calls in here and maps the results to status codes.
 */
package dev.parley.server.auth;
