package dev.parley.server.http.desk;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.EventType;
import dev.parley.protocol.codec.Json;
import dev.parley.server.desk.ConversationLabel;
import dev.parley.server.store.ContextStore;
import dev.parley.server.store.EventStore;
import dev.parley.server.store.OperatorStore;
import dev.parley.server.store.SessionSummary;
import dev.parley.server.store.StoredContext;
import dev.parley.server.store.StoredEvent;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads each conversation's {@link CustomerDetails} once, on a worker (never on an event loop or
 * the desk thread), and keeps the last {@value #CACHED} so that the snapshots sent on every queue
 * change cost no store read. A language changed later reaches the desk page as the
 * {@code LANGUAGE_CHANGED} event itself. Thread-safe.
 */
final class ConversationDetails {
    private static final Logger LOG = LoggerFactory.getLogger(ConversationDetails.class);
    static final int CACHED = 2000;
    private static final int PAGE = 1000;
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final OperatorStore operators;
    private final EventStore events;
    private final ContextStore contexts;
    /** Guarded by itself; access order, the eldest dropped past {@link #CACHED}. */
    private final Map<String, CompletableFuture<CustomerDetails>> cache = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<CustomerDetails>> eldest) {
            return size() > CACHED;
        }
    };

    ConversationDetails(OperatorStore operators, EventStore events, ContextStore contexts) {
        this.operators = operators;
        this.events = events;
        this.contexts = contexts;
    }

    /** Completes with the details, or {@link CustomerDetails#UNKNOWN} if they cannot be read; never fails. */
    CompletableFuture<CustomerDetails> load(Vertx vertx, String sessionId) {
        CompletableFuture<CustomerDetails> details;
        synchronized (cache) {
            details = cache.get(sessionId);
            if (details != null) {
                return details;
            }
            details = new CompletableFuture<>();
            cache.put(sessionId, details);
        }
        CompletableFuture<CustomerDetails> loading = details;
        vertx.executeBlocking(() -> read(sessionId), false).onComplete(result -> {
            if (result.succeeded()) {
                loading.complete(result.result());
            } else {
                LOG.warn("cannot read the details of conversation {}", sessionId, result.cause());
                synchronized (cache) {
                    cache.remove(sessionId, loading); // read again next time
                }
                loading.complete(CustomerDetails.UNKNOWN);
            }
        });
        return loading;
    }

    /** The details of each of {@code sessionIds}, by id. */
    CompletableFuture<Map<String, CustomerDetails>> loadAll(Vertx vertx, List<String> sessionIds) {
        Map<String, CompletableFuture<CustomerDetails>> loading = new LinkedHashMap<>();
        sessionIds.forEach(id -> loading.computeIfAbsent(id, i -> load(vertx, i)));
        return CompletableFuture.allOf(loading.values().toArray(CompletableFuture[]::new)).thenApply(v -> {
            Map<String, CustomerDetails> all = new LinkedHashMap<>();
            loading.forEach((id, f) -> all.put(id, f.join()));
            return all;
        });
    }

    /** Blocks on the store. */
    CustomerDetails read(String sessionId) {
        Optional<SessionSummary> summary = operators.findSessionSummary(sessionId);
        JsonNode values = contexts.findSessionContext(sessionId).map(ConversationDetails::values).orElse(null);
        String name = values == null ? null
                : ConversationLabel.customerName(Json.MAPPER.convertValue(values, MAP)).orElse(null);
        return new CustomerDetails(summary.map(s -> s.session().platform()).orElse(null), language(sessionId), values,
                name, summary.map(s -> s.session().createdAt()).orElse(null));
    }

    /** The last {@code LANGUAGE_CHANGED} of the journal, or null. */
    private String language(String sessionId) {
        String language = null;
        long after = 0;
        while (true) {
            List<StoredEvent> page = events.readAfter(sessionId, after, PAGE);
            for (StoredEvent e : page) {
                if (e.type() == EventType.LANGUAGE_CHANGED) {
                    language = languageOf(e.json()).orElse(language);
                }
            }
            if (page.size() < PAGE) {
                return language;
            }
            after = page.get(page.size() - 1).sequence();
        }
    }

    /** {@code payload.language_code} of a stored {@code LANGUAGE_CHANGED} envelope. */
    static Optional<String> languageOf(String envelope) {
        try {
            JsonNode code = Json.MAPPER.readTree(envelope).path("payload").path("language_code");
            return code.isTextual() && !code.textValue().isBlank() ? Optional.of(code.textValue()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static JsonNode values(StoredContext context) {
        try {
            return Json.MAPPER.readTree(context.json());
        } catch (IOException e) {
            return null;
        }
    }
}
