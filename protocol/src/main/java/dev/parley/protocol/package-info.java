/**
 * The Messaging protocol as small immutable types: event types, envelope, ids, limits and documented error strings. No I/O; shared by server and SDK.
 */
package dev.parley.protocol;
