package dev.parley.protocol;

/** {@code CLIENT_HANDOFF_REQUIRED} reasons; note there is no {@code REASON_} prefix (PROTOCOL.md §6.3). */
public enum HandoffReason {
    COMPLEX_QUERY,
    AGENT_DECISION,
    POLICY
}
