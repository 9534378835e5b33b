/**
 * The Parley Java SDK: {@link dev.parley.client.ParleyClient} opens
 * {@link dev.parley.client.Conversation}s that survive dropped sockets, send with delivery receipts
 * and report server events, deduplicated and in order, to a
 * {@link dev.parley.client.ConversationListener}. This package is the whole public API; everything
 * under {@code internal} may change without notice.
 */
package dev.parley.client;
