package dev.parley.server.desk;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * What each waiting conversation was last told about its place ({@code HANDOFF_QUEUE_STATUS}),
 * so that a status goes out only when it says something new, or as the periodic reminder.
 *
 * <p>A changed place is told at most once per {@link #SPACING}; the desk's tick, which walks every
 * queue each second, sends what was held back. So when many people ahead leave at once, say 500
 * sessions ending, a waiting user hears one new position, not one per departure, and the desk
 * sends O(waiting users) statuses per second, never O(n²). Confined to the desk executor.
 */
final class QueueStatusBoard {
    static final Duration SPACING = Duration.ofSeconds(1);

    private record Told(int position, int estimate, Instant at) {
    }

    private final Map<String, Told> told = new HashMap<>();
    private final ConversationControl conversations;
    private final Duration period;

    QueueStatusBoard(ConversationControl conversations, Duration period) {
        this.conversations = conversations;
        this.period = period;
    }

    /** Tells the conversation its place if that is news (and not too soon after the last), or the reminder is due. */
    void update(HandoffRecord r, int position, int estimate, Instant now) {
        Told last = told.get(r.sessionId());
        boolean news = last == null || last.position != position || last.estimate != estimate;
        boolean spaced = last == null || !last.at.plus(SPACING).isAfter(now);
        boolean reminder = last == null || !last.at.plus(period).isAfter(now);
        if ((news && spaced) || reminder) {
            conversations.queueStatus(r.sessionId(), r.queue(), position, estimate);
            told.put(r.sessionId(), new Told(position, estimate, now));
        }
    }

    /** Tells the conversation its place now, whatever it heard before (a transfer starts a new wait). */
    void tell(HandoffRecord r, int position, int estimate, Instant now) {
        conversations.queueStatus(r.sessionId(), r.queue(), position, estimate);
        told.put(r.sessionId(), new Told(position, estimate, now));
    }

    /** Records a status that someone else announced (the session announces its enqueue position itself). */
    void announcedElsewhere(String sessionId, int position, int estimate, Instant now) {
        told.put(sessionId, new Told(position, estimate, now));
    }

    /** The conversation stopped waiting; if it waits again, its first status goes out at once. */
    void forget(String sessionId) {
        told.remove(sessionId);
    }
}
