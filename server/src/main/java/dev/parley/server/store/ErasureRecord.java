package dev.parley.server.store;

import java.time.Instant;

/**
 * The audit trace an erased conversation leaves: which session, of which connector, when and by
 * whom ({@code api-key:<id>}, {@code cli}, {@code retention}). Never anything the conversation said.
 */
public record ErasureRecord(String sessionId, String connectorId, Instant erasedAt, String erasedBy) {
}
