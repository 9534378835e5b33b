/**
 * Time as a dependency: a {@link dev.parley.server.time.Scheduler} port so tests move time by hand.
 */
package dev.parley.server.time;
