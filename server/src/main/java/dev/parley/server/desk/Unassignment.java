package dev.parley.server.desk;

/**
 * Why a conversation stopped being an agent's ({@code desk.unassigned}), and for the supervisor's
 * moves who made them ({@code byId}/{@code byName}, else null).
 */
public record Unassignment(Reason reason, String byId, String byName) {

    public enum Reason {
        /** The session ended (the user left, timed out, was erased). */
        ENDED,
        /** The agent moved it to another queue. */
        TRANSFERRED,
        /** The agent left or ended it. */
        LEFT,
        /** Back to its queue after the agent's grace period. */
        REQUEUED,
        /** A supervisor took it. */
        TAKEN_OVER,
        /** A supervisor gave it to another agent. */
        REASSIGNED
    }

    public static Unassignment of(Reason reason) {
        return new Unassignment(reason, null, null);
    }

    public static Unassignment by(Reason reason, DeskAgent supervisor) {
        return new Unassignment(reason, supervisor.id(), supervisor.name());
    }
}
