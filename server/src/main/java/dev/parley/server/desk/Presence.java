package dev.parley.server.desk;

/** Whether an agent takes new conversations. */
public enum Presence {
    AVAILABLE, AWAY, OFFLINE
}
