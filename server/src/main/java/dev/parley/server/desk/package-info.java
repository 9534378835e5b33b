/**
 * The live-agent desk: named queues, live agents with presence and capacity, assignment (automatic
 * least-loaded or manual claim), timeouts and requeueing. Framework-free; all of its state changes
 * run one at a time on the desk's own serial executor, and every effect on a conversation is a
 * command to that session's actor, so events stay in order and a conversation is never taken twice.
 */
package dev.parley.server.desk;
