/**
 * The SDK's machinery, not public API: the per-conversation engine and its thread, dedupe and
 * ordering, stream reassembly, receipts, back-off, REST calls and the default timers.
 *
 * <p>Threading: each conversation's state, and every part of it, is confined to its
 * {@link dev.parley.client.internal.ConversationThread}; other threads (callers, socket callbacks,
 * timers, HTTP completions) only post tasks there. Fields read elsewhere are {@code volatile} and
 * say so; {@link dev.parley.client.internal.ClientCore} is the shared, thread-safe exception.
 */
package dev.parley.client.internal;
