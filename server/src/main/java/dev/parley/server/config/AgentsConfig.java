package dev.parley.server.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which AI agent answers which connector ({@code agents:} in {@code parley.yaml}). The scripted
 * agent is always available (it is configured by {@code agent: {flow_file, ...}}); {@code llm}
 * and {@code webhook} need their section. Secrets come only from the environment or a file and
 * are resolved at load time, so a missing one stops the start-up, not the first conversation.
 *
 * @param defaultKind the agent of connectors not listed in {@code connectors}
 * @param connectors  connector id to agent kind
 * @param llm         present when the {@code llm} section is given
 * @param webhook     present when the {@code webhook} section is given
 */
public record AgentsConfig(Kind defaultKind, Map<String, Kind> connectors, Optional<Llm> llm, Optional<Webhook> webhook) {

    public AgentsConfig {
        connectors = Map.copyOf(connectors);
    }

    public static final AgentsConfig DEFAULTS = new AgentsConfig(Kind.SCRIPTED, Map.of(), Optional.empty(), Optional.empty());

    /** The agent kinds, spelt in YAML as {@link #yamlName()}. */
    public enum Kind {
        SCRIPTED, LLM, WEBHOOK;

        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @return empty for an unknown name */
        public static Optional<Kind> parse(String name) {
            for (Kind kind : values()) {
                if (kind.yamlName().equals(name)) {
                    return Optional.of(kind);
                }
            }
            return Optional.empty();
        }
    }

    /** Whether {@code kind} answers any connector (the default or a listed one). */
    public boolean selects(Kind kind) {
        return defaultKind == kind || connectors.containsValue(kind);
    }

    public AgentsConfig withDefault(Kind kind) {
        return new AgentsConfig(kind, connectors, llm, webhook);
    }

    public AgentsConfig withConnectors(Map<String, Kind> value) {
        return new AgentsConfig(defaultKind, value, llm, webhook);
    }

    public AgentsConfig withWebhook(Webhook value) {
        return new AgentsConfig(defaultKind, connectors, llm, Optional.ofNullable(value));
    }

    public AgentsConfig withLlm(Llm value) {
        return new AgentsConfig(defaultKind, connectors, Optional.ofNullable(value), webhook);
    }

    /**
     * {@code agents.llm}. {@code apiKey} and {@code systemPrompt} are what {@code apiKeyEnv} /
     * {@code apiKeyFile} and {@code systemPromptFile} held at load time ({@code null} when not set,
     * or when the kind is not selected and so never read).
     */
    public record Llm(URI baseUrl, String model, String apiKeyEnv, Path apiKeyFile, Secret apiKey,
                      Path systemPromptFile, String systemPrompt, int historyBudgetChars, Duration connectTimeout,
                      Duration firstTokenTimeout, Duration totalTimeout, int maxRetries, String fallbackText,
                      String name, String avatarUrl, boolean cancelOnNewMessage) {

        public static final int DEFAULT_HISTORY_BUDGET_CHARS = 12_000;
        public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
        public static final Duration DEFAULT_FIRST_TOKEN_TIMEOUT = Duration.ofSeconds(20);
        public static final Duration DEFAULT_TOTAL_TIMEOUT = Duration.ofSeconds(60);
        public static final int DEFAULT_MAX_RETRIES = 2;
        public static final String DEFAULT_NAME = "Assistant";

        Llm withSecrets(Secret key, String prompt) {
            return new Llm(baseUrl, model, apiKeyEnv, apiKeyFile, key, systemPromptFile, prompt, historyBudgetChars,
                    connectTimeout, firstTokenTimeout, totalTimeout, maxRetries, fallbackText, name, avatarUrl,
                    cancelOnNewMessage);
        }
    }

    /**
     * {@code agents.webhook}. {@code secret} is what {@code secretEnv} or {@code secretFile} held at
     * load time ({@code null} when the kind is not selected and so never read).
     */
    public record Webhook(URI url, String secretEnv, Path secretFile, Secret secret, Duration timeout, int maxRetries,
                          String name, String avatarUrl, int historyTurns) {

        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
        public static final int DEFAULT_MAX_RETRIES = 2;
        public static final int DEFAULT_HISTORY_TURNS = 20;
        public static final String DEFAULT_NAME = "Assistant";

        public Webhook withSecret(Secret value) {
            return new Webhook(url, secretEnv, secretFile, value, timeout, maxRetries, name, avatarUrl, historyTurns);
        }
    }
}
