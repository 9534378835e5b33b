/**
 * The live-agent desk over HTTP and WebSocket (docs/desk-api.md): login, queues, claim, transcript
 * and presence as REST calls, and {@code /desk/ws} carrying desk updates, the agent's conversations
 * as {@code desk.event}, and the agent's commands.
 */
package dev.parley.server.http.desk;
