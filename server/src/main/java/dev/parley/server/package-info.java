/**
 * Parley server: {@link dev.parley.server.ParleyServer} is the hand-wired composition root.
 */
package dev.parley.server;
