package dev.parley.server.session;

/** WebSocket close codes Parley uses (PROTOCOL.md §13.10, §13.11). */
public final class CloseCodes {
    /** After {@code SESSION_END}, and after replaying an ended session. */
    public static final int NORMAL = 1000;
    /** Idle timeout: no client frame for the configured time. */
    public static final int GOING_AWAY = 1001;
    /** The client broke a rule, or could not keep up with its outbox. */
    public static final int POLICY_VIOLATION = 1008;
    /**
     * The session's connector was revoked: its tokens are refused from now on (issue 9). 1008, not
     * 1000 (which Parley sends only after {@code SESSION_END}, and official mobile SDKs read as
     * "conversation over"; the session is not ended) nor 1001/1012 (which invite a reconnect). A
     * client that does reconnect is refused with HTTP 401 and stops.
     */
    public static final int CONNECTOR_REVOKED = POLICY_VIOLATION;
    /** The close reason sent with {@link #CONNECTOR_REVOKED}. */
    public static final String CONNECTOR_REVOKED_REASON = "connector revoked";
    /** A frame over 128 KB. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** The server cannot go on with this session (e.g. the journal failed). */
    public static final int INTERNAL_ERROR = 1011;
    /**
     * The node is stopping gracefully (redeploy, SIGTERM): reconnect, to this node or another. Never
     * 1000 here: official mobile SDKs read 1000 as "conversation over" and do not reconnect.
     */
    public static final int SERVICE_RESTART = 1012;

    private CloseCodes() {
    }
}
