/**
 * The Vert.x adapter: REST routes and the WebSocket path of PROTOCOL.md, translating frames into session commands and refusals into documented HTTP errors.
 */
package dev.parley.server.http;
