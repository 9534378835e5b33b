/**
 * Outgoing webhooks (issue 14): operator subscriptions, an outbox written in the journal's own
 * transaction ({@link dev.parley.server.webhooks.WebhookEvents} decides which journaled events owe a
 * delivery), and a {@link dev.parley.server.webhooks.WebhookDispatcher} that POSTs them signed with
 * the webhook agent's HMAC scheme, retries with back-off and dead-letters after the last attempt.
 */
package dev.parley.server.webhooks;
