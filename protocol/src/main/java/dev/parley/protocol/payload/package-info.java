/**
 * One record per server event payload; the sealed {@link dev.parley.protocol.payload.ServerPayload} lists them all.
 */
package dev.parley.protocol.payload;
