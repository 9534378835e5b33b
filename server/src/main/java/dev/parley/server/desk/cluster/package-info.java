/**
 * The live-agent desk across nodes (issue 11): one elected leader runs the {@link dev.parley.server.desk.Desk};
 * every other node reaches it over the fan-out.
 */
package dev.parley.server.desk.cluster;
