package dev.parley.server.http.desk;

import dev.parley.server.limits.LoginAttempts;
import dev.parley.server.desk.PasswordPool;
import dev.parley.server.limits.StrikeLimit;

/**
 * What keeps desk authentication from being guessed at or used to stall the node: the log-in
 * throttle (asked before any bcrypt work), the bounded pool bcrypt runs on, and the count of
 * invalid desk tokens per client address (REST bearer and {@code /desk/ws} alike). The counts are
 * the node's own on one node and shared by all nodes with the Redis fan-out.
 */
public record DeskGuards(LoginAttempts logins, PasswordPool passwords, StrikeLimit badTokens) {
    static final String TOO_MANY_LOGINS = "too many failed log-ins; try again later";
    static final String LOGIN_BUSY = "desk log-in is busy; try again shortly";
    static final String TOO_MANY_BAD_TOKENS = "too many invalid desk tokens; try again later";
}
