package dev.parley.server.session;

/**
 * The human-readable texts of the additive {@code reason} and {@code display_message} fields. The
 * official SDKs show them as they are (their {@code SystemEvent.reason} is "a human-readable reason"),
 * so they are sentences for the end user, not codes; the documented fields stay the machine-readable part.
 */
final class HandoffTexts {
    static final String AI_LEFT_FOR_LIVE_AGENT = "Handing you over to a human agent.";
    static final String AI_LEFT_FOR_CLIENT_ROUTE = "Handing you over to another channel.";
    static final String LIVE_AGENT_FINISHED = "The agent ended the conversation.";
    static final String HANDOFF_REFUSED = "No human agent can take the conversation right now.";
    static final String QUEUE_CLOSED = "The queue was closed before a human agent was free.";
    static final String WAITED_TOO_LONG = "No human agent became free in time.";

    private HandoffTexts() {
    }

    /** E.g. "You are number 3 in the queue for support. Estimated wait: about 3 minutes." */
    static String queueStatus(String queueName, int position, int estimatedWaitSeconds) {
        StringBuilder text = new StringBuilder();
        if (position <= 0) {
            text.append("You are being connected to a human agent.");
        } else if (position == 1) {
            text.append("You are next in the queue");
        } else {
            text.append("You are number ").append(position).append(" in the queue");
        }
        if (position > 0) {
            text.append(queueName == null || queueName.isBlank() ? "" : " for " + queueName).append('.');
            if (estimatedWaitSeconds > 0) {
                text.append(" Estimated wait: ").append(wait(estimatedWaitSeconds)).append('.');
            }
        }
        return text.toString();
    }

    private static String wait(int seconds) {
        if (seconds < 60) {
            return "under a minute";
        }
        long minutes = Math.round(seconds / 60.0);
        return "about " + minutes + (minutes == 1 ? " minute" : " minutes");
    }
}
