/**
 * Request limits of a node ({@link dev.parley.server.limits.NodeLimits}): asynchronous ports over
 * token buckets and failure counts, the node's own on one node, shared by all nodes through Redis
 * ({@link dev.parley.server.limits.RedisLimits}) with the Redis fan-out, falling back to the node's
 * own counts while Redis does not answer.
 */
package dev.parley.server.limits;
