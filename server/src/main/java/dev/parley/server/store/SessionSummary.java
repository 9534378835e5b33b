package dev.parley.server.store;

import java.time.Instant;

/**
 * A session as the operator listing shows it: its record, last activity, whether it was handed off,
 * and its handoff record when the desk took it.
 *
 * @param handedOff   a handoff was triggered (desk or client-managed)
 * @param handoff     the desk's record, null when the desk never queued it
 */
public record SessionSummary(SessionRecord session, Instant lastActivityAt, boolean handedOff, Handoff handoff) {

    /** The desk's handoff record of the session. */
    public record Handoff(String queue, String status, String liveAgentId) {
    }
}
