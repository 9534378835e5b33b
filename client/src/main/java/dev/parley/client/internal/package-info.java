/**
 * The SDK's machinery, not public API: the per-conversation engine and its thread, dedupe and
 * ordering, stream reassembly, receipts, back-off, REST calls and the default timers.
 */
package dev.parley.client.internal;
