package dev.parley.server.agent.llm;

import dev.parley.protocol.ErrorMessages;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link LlmAgent} talks to an OpenAI-compatible {@code /chat/completions} endpoint.
 *
 * @param baseUrl            API root up to and including the version, e.g. {@code http://127.0.0.1:8081/v1};
 *                           requests go to {@code {baseUrl}/chat/completions}
 * @param model              the {@code model} field of the request (local servers often ignore it)
 * @param apiKey             sent as {@code Authorization: Bearer ...}; {@code null} or blank sends no
 *                           header (local servers need none). Never logged, never in {@link #toString()}
 * @param systemPrompt       the first message of every request; always kept, never trimmed
 * @param historyBudgetChars at most this many characters of earlier turns are sent; the oldest are
 *                           dropped first (the system prompt and the turn being answered do not count)
 * @param connectTimeout     TCP connect timeout, used by {@link LlmAgent#httpClient(LlmSettings)}
 * @param firstTokenTimeout  from the start of a turn (retries and back-off included) until the first
 *                           delta; when it passes the request is cancelled and the fallback text sent
 * @param totalTimeout       from the start of a turn until {@code [DONE]}
 * @param maxRetries         extra attempts after a 429, a 5xx or a connection error, only while no
 *                           token has arrived yet
 * @param initialBackoff     wait before the first retry; doubled for each further one
 * @param fallbackText       written as a normal agent message when the model could not answer
 * @param agentName          name announced in {@code POLY_AGENT_JOINED}
 * @param avatarUrl          avatar announced in {@code POLY_AGENT_JOINED}; may be {@code null}
 * @param temperature        sampling temperature; {@code null} leaves it to the server
 */
public record LlmSettings(
        URI baseUrl,
        String model,
        String apiKey,
        String systemPrompt,
        int historyBudgetChars,
        Duration connectTimeout,
        Duration firstTokenTimeout,
        Duration totalTimeout,
        int maxRetries,
        Duration initialBackoff,
        String fallbackText,
        String agentName,
        String avatarUrl,
        Double temperature) {

    public static final String DEFAULT_SYSTEM_PROMPT = "You are a friendly, concise customer-support assistant. "
            + "Answer in plain text, in a few short sentences. "
            + "Call handoff_to_human when the user asks for a person or you cannot help, "
            + "end_conversation when the user says goodbye, "
            + "and suggest_replies to offer up to three short follow-up replies.";

    /** A local server on port 8081, no key, the documented reply-failure text as fallback. */
    public static final LlmSettings DEFAULTS = new LlmSettings(
            URI.create("http://127.0.0.1:8081/v1"),
            "local-model",
            null,
            DEFAULT_SYSTEM_PROMPT,
            12_000,
            Duration.ofSeconds(5),
            Duration.ofSeconds(30),
            Duration.ofSeconds(120),
            2,
            Duration.ofMillis(500),
            ErrorMessages.AGENT_REPLY_FAILED,
            "Assistant",
            null,
            null);

    public LlmSettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(systemPrompt, "systemPrompt");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(firstTokenTimeout, "firstTokenTimeout");
        Objects.requireNonNull(totalTimeout, "totalTimeout");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(fallbackText, "fallbackText");
        Objects.requireNonNull(agentName, "agentName");
        if (historyBudgetChars < 0) {
            throw new IllegalArgumentException("historyBudgetChars must not be negative: " + historyBudgetChars);
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative: " + maxRetries);
        }
        requirePositive("connectTimeout", connectTimeout);
        requirePositive("firstTokenTimeout", firstTokenTimeout);
        requirePositive("totalTimeout", totalTimeout);
        if (initialBackoff.isNegative()) {
            throw new IllegalArgumentException("initialBackoff must not be negative: " + initialBackoff);
        }
        if (fallbackText.isBlank()) {
            throw new IllegalArgumentException("fallbackText must not be blank");
        }
        if (apiKey != null && apiKey.isBlank()) {
            apiKey = null;
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    /** {@code {baseUrl}/chat/completions}, tolerating a trailing slash on the base. */
    public URI chatCompletionsUri() {
        String base = baseUrl.toString();
        return URI.create((base.endsWith("/") ? base : base + "/") + "chat/completions");
    }

    public boolean hasApiKey() {
        return apiKey != null;
    }

    public LlmSettings withBaseUrl(URI value) {
        return new LlmSettings(value, model, apiKey, systemPrompt, historyBudgetChars, connectTimeout,
                firstTokenTimeout, totalTimeout, maxRetries, initialBackoff, fallbackText, agentName, avatarUrl,
                temperature);
    }

    public LlmSettings withModel(String value) {
        return new LlmSettings(baseUrl, value, apiKey, systemPrompt, historyBudgetChars, connectTimeout,
                firstTokenTimeout, totalTimeout, maxRetries, initialBackoff, fallbackText, agentName, avatarUrl,
                temperature);
    }

    public LlmSettings withApiKey(String value) {
        return new LlmSettings(baseUrl, model, value, systemPrompt, historyBudgetChars, connectTimeout,
                firstTokenTimeout, totalTimeout, maxRetries, initialBackoff, fallbackText, agentName, avatarUrl,
                temperature);
    }

    public LlmSettings withSystemPrompt(String value) {
        return new LlmSettings(baseUrl, model, apiKey, value, historyBudgetChars, connectTimeout,
                firstTokenTimeout, totalTimeout, maxRetries, initialBackoff, fallbackText, agentName, avatarUrl,
                temperature);
    }

    public LlmSettings withHistoryBudgetChars(int value) {
        return new LlmSettings(baseUrl, model, apiKey, systemPrompt, value, connectTimeout,
                firstTokenTimeout, totalTimeout, maxRetries, initialBackoff, fallbackText, agentName, avatarUrl,
                temperature);
    }

    public LlmSettings withTimeouts(Duration firstToken, Duration total) {
        return new LlmSettings(baseUrl, model, apiKey, systemPrompt, historyBudgetChars, connectTimeout,
                firstToken, total, maxRetries, initialBackoff, fallbackText, agentName, avatarUrl, temperature);
    }

    public LlmSettings withRetries(int retries, Duration backoff) {
        return new LlmSettings(baseUrl, model, apiKey, systemPrompt, historyBudgetChars, connectTimeout,
                firstTokenTimeout, totalTimeout, retries, backoff, fallbackText, agentName, avatarUrl, temperature);
    }

    public LlmSettings withFallbackText(String value) {
        return new LlmSettings(baseUrl, model, apiKey, systemPrompt, historyBudgetChars, connectTimeout,
                firstTokenTimeout, totalTimeout, maxRetries, initialBackoff, value, agentName, avatarUrl,
                temperature);
    }

    public LlmSettings withProfile(String name, String avatar) {
        return new LlmSettings(baseUrl, model, apiKey, systemPrompt, historyBudgetChars, connectTimeout,
                firstTokenTimeout, totalTimeout, maxRetries, initialBackoff, fallbackText, name, avatar, temperature);
    }

    public LlmSettings withTemperature(Double value) {
        return new LlmSettings(baseUrl, model, apiKey, systemPrompt, historyBudgetChars, connectTimeout,
                firstTokenTimeout, totalTimeout, maxRetries, initialBackoff, fallbackText, agentName, avatarUrl,
                value);
    }

    /** Like the record's, but the api key is replaced by {@code ***} (or {@code none}). */
    @Override
    public String toString() {
        return "LlmSettings[baseUrl=" + baseUrl + ", model=" + model + ", apiKey=" + (apiKey == null ? "none" : "***")
                + ", systemPrompt=" + systemPrompt.length() + " chars, historyBudgetChars=" + historyBudgetChars
                + ", connectTimeout=" + connectTimeout + ", firstTokenTimeout=" + firstTokenTimeout
                + ", totalTimeout=" + totalTimeout + ", maxRetries=" + maxRetries + ", initialBackoff="
                + initialBackoff + ", fallbackText=" + fallbackText + ", agentName=" + agentName + ", avatarUrl="
                + avatarUrl + ", temperature=" + temperature + "]";
    }
}
