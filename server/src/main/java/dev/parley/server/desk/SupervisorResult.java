package dev.parley.server.desk;

/** The desk's answer to a supervisor's watch, take-over or reassignment; {@code conversation} only when {@link Outcome#DONE}. */
public record SupervisorResult(Outcome outcome, HandoffRecord conversation) {

    public enum Outcome {
        DONE,
        /** The account is no supervisor. */
        NOT_SUPERVISOR,
        /** No open conversation of the supervisor's connector by that id (or the supervisor has no desk open). */
        NOT_AVAILABLE,
        /** The target of a reassignment is unknown, of another connector, away or has no desk open. */
        AGENT_NOT_AVAILABLE
    }

    public static SupervisorResult done(HandoffRecord conversation) {
        return new SupervisorResult(Outcome.DONE, conversation);
    }

    public static SupervisorResult refused(Outcome outcome) {
        return new SupervisorResult(outcome, null);
    }

    public boolean ok() {
        return outcome == Outcome.DONE;
    }
}
