package dev.parley.server.csat;

import java.time.Instant;

/**
 * One conversation's rating as stored.
 *
 * @param queue   the desk queue the conversation was in when its live agent had it
 * @param agentId the live agent who had the conversation last
 * @param comment null when the user wrote none
 */
public record CsatRating(String sessionId, String connectorId, String queue, String agentId, int rating, String comment,
                         Instant createdAt) {
    public static final int MIN = 1;
    public static final int MAX = 5;
    /** Most characters (Unicode code points) of a comment. */
    public static final int MAX_COMMENT_CHARS = 1000;

    public static boolean validRating(int rating) {
        return rating >= MIN && rating <= MAX;
    }

    /** A comment of at most {@link #MAX_COMMENT_CHARS} code points (null or blank count as none). */
    public static boolean validComment(String comment) {
        return comment == null || comment.codePointCount(0, comment.length()) <= MAX_COMMENT_CHARS;
    }

    /** What is stored of a comment: blank is none. */
    public static String normalizedComment(String comment) {
        return comment == null || comment.isBlank() ? null : comment;
    }
}
