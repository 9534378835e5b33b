package dev.parley.server.session;

/** Where a server-managed handoff stands (PROTOCOL.md §9.1). */
enum HandoffPhase {
    /** No handoff, or it failed or timed out. */
    NONE,
    /** Accepted and waiting in a queue: user messages are stored for the agent to read. */
    QUEUED,
    /** A live agent is connected: user messages go to them; the AI agent stays silent. */
    LIVE,
    /**
     * Asked for outside business hours: nobody will join; user messages are stored for the team,
     * who read them in the desk's offline list.
     */
    OFFLINE
}
