package dev.parley.server.session;

/** Where the AI agent stands in a session. */
enum AgentPhase {
    /** No join request yet: user messages are refused with "Conversation not found" (§13.7). */
    NOT_JOINED,
    /** Joined: user messages go to the AI agent. */
    JOINED,
    /** Left (handoff): the AI agent stays silent until a new join request. */
    LEFT
}
