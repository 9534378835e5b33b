package dev.parley.server.http.desk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.codec.Timestamps;
import java.time.Instant;

/**
 * What the desk shows of the person behind a conversation, read from what the server stores
 * already: the session's platform and start, the last {@code LANGUAGE_CHANGED}, and the verified
 * context (with the customer's name when it has one). Any part may be null.
 */
record CustomerDetails(String platform, String language, JsonNode verifiedContext, String name, Instant createdAt) {
    static final CustomerDetails UNKNOWN = new CustomerDetails(null, null, null, null, null);

    /** Adds {@code customer} and {@code created_at} to a conversation's JSON. */
    void fill(ObjectNode conversation) {
        ObjectNode customer = conversation.putObject("customer")
                .put("platform", platform)
                .put("language", language)
                .put("name", name);
        if (verifiedContext == null) {
            customer.putNull("verified_context");
        } else {
            customer.set("verified_context", verifiedContext);
        }
        conversation.put("created_at", createdAt == null ? null : Timestamps.format(createdAt));
    }
}
