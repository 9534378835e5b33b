/**
 * Cross-node fan-out: the {@link dev.parley.server.fanout.FanOut} port (a doorbell, never the truth)
 * and its adapters.
 */
package dev.parley.server.fanout;
