package dev.parley.server.session;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.parley.protocol.codec.Json;
import dev.parley.server.store.StoredContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A session's verified context: the {@code ctx} of the last token its connector's site signed for
 * it, or {@link #NONE}. Only verified values ever get here, so agents and the desk may trust them.
 *
 * @param values flat, in the token's order; String, Long/Integer/Double or Boolean values
 */
public record VerifiedContext(Map<String, Object> values, String json, String keyId, Instant verifiedAt) {
    public static final VerifiedContext NONE = new VerifiedContext(Map.of(), "{}", null, null);
    private static final TypeReference<LinkedHashMap<String, Object>> FLAT = new TypeReference<>() {
    };

    public VerifiedContext {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static VerifiedContext fromStored(StoredContext stored) {
        try {
            return new VerifiedContext(Json.MAPPER.readValue(stored.json(), FLAT), stored.json(), stored.keyId(),
                    stored.verifiedAt());
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable verified context of session " + stored.sessionId(), e);
        }
    }
}
