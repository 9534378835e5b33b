package dev.parley.server.http.desk;

import dev.parley.server.desk.HandoffRecord;
import dev.parley.server.desk.TeamMeter;
import java.time.Clock;
import java.time.Duration;

/**
 * Times an agent's first message in a conversation from its assignment. Measured on the desk
 * socket that sent it, since the desk core never sees messages; a conversation followed by two of
 * the agent's sockets may count its first reply once per socket.
 */
final class FirstReplies {
    static final FirstReplies NONE = new FirstReplies(TeamMeter.NONE, Clock.systemUTC());

    private final TeamMeter meter;
    private final Clock clock;

    FirstReplies(TeamMeter meter, Clock clock) {
        this.meter = meter;
        this.clock = clock;
    }

    /** {@code agentId} sent their first message in {@code assigned}. */
    void replied(HandoffRecord assigned, String agentId) {
        if (assigned.assignedAt() == null) {
            return;
        }
        // The leader's clock set assignedAt; another node's may be a little behind.
        Duration delay = Duration.between(assigned.assignedAt(), clock.instant());
        meter.firstResponse(assigned.queue(), agentId, delay.isNegative() ? Duration.ZERO : delay);
    }
}
