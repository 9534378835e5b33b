package dev.parley.server.auth;

import java.util.Map;

/** What checking a verified-context token found: its context, or why it was refused. */
public sealed interface ContextVerdict {

    /**
     * A token signed by one of the connector's keys, for this conversation, fresh and well-formed.
     *
     * @param context the {@code ctx} object, in the token's key order; values are String, Long or Double, Boolean
     * @param json the same object as JSON text, as stored
     */
    record Accepted(Map<String, Object> context, String json, String keyId) implements ContextVerdict {
    }

    record Refused(ContextRefusal reason) implements ContextVerdict {
    }
}
