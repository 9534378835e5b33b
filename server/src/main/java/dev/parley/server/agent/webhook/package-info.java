/**
 * The webhook agent: each turn is a signed HTTP {@code POST} to the operator's bot, whose JSON or
 * ndjson answer becomes the agent's reply (docs/webhook-agent.md).
 */
package dev.parley.server.agent.webhook;
