package dev.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.server.config.AgentsConfig.Kind;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code agents:} section of {@code parley.yaml}. */
class ConfigLoaderAgentsTest {
    @TempDir
    Path dir;

    private ParleyConfig load(String yaml, Map<String, String> env) throws IOException {
        Files.writeString(dir.resolve("parley.yaml"), yaml);
        return new ConfigLoader(dir.resolve("parley.yaml")).load(env, ConfigOverrides.NONE);
    }

    private void refused(String yaml, Map<String, String> env, String... messageParts) {
        assertThatThrownBy(() -> load(yaml, env)).isInstanceOf(ConfigException.class).message().contains(messageParts);
    }

    @Test
    void withoutAnAgentsSectionEveryConnectorGetsTheScriptedAgent() throws IOException {
        assertThat(load("port: 9000\n", Map.of()).agents()).isEqualTo(AgentsConfig.DEFAULTS);
        assertThat(AgentsConfig.DEFAULTS.defaultKind()).isEqualTo(Kind.SCRIPTED);
    }

    @Test
    void everyWebhookKeyIsReadAndTheSecretComesFromTheEnvironment() throws IOException {
        ParleyConfig config = load("""
                agent: {stream_chunk_delay_ms: 5}
                agents:
                  default: scripted
                  connectors: {con_demo: webhook}
                  webhook:
                    url: https://bot.example.com/parley
                    secret_env: BOT_SECRET
                    timeout_seconds: 7
                    max_retries: 3
                    name: Robo
                    avatar_url: https://bot.example.com/robo.png
                    history_turns: 6
                """, Map.of("BOT_SECRET", "s3cret\n"));

        AgentsConfig agents = config.agents();
        assertThat(agents.defaultKind()).isEqualTo(Kind.SCRIPTED);
        assertThat(agents.connectors()).isEqualTo(Map.of("con_demo", Kind.WEBHOOK));
        AgentsConfig.Webhook hook = agents.webhook().orElseThrow();
        assertThat(hook.url()).isEqualTo(URI.create("https://bot.example.com/parley"));
        assertThat(hook.secret().value()).isEqualTo("s3cret");
        assertThat(hook.timeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(hook.maxRetries()).isEqualTo(3);
        assertThat(hook.name()).isEqualTo("Robo");
        assertThat(hook.avatarUrl()).isEqualTo("https://bot.example.com/robo.png");
        assertThat(hook.historyTurns()).isEqualTo(6);
        assertThat(config.streamChunkDelay()).as("agent: keeps working").isEqualTo(Duration.ofMillis(5));
        assertThat(config.toString()).doesNotContain("s3cret");
    }

    @Test
    void everyLlmKeyIsReadWithTheKeyAndPromptFromFiles() throws IOException {
        Path key = Files.writeString(dir.resolve("llm.key"), "sk-123\n");
        Path prompt = Files.writeString(dir.resolve("prompt.txt"), "Be brief.");
        AgentsConfig.Llm llm = load("""
                agents:
                  default: llm
                  llm:
                    base_url: http://localhost:11434/v1
                    model: llama3
                    api_key_file: %s
                    system_prompt_file: %s
                    history_budget_chars: 4000
                    first_token_timeout_seconds: 9
                    total_timeout_seconds: 30s
                    max_retries: 1
                    fallback_text: Try later
                    name: Ada
                    avatar_url: https://example.com/ada.png
                """.formatted(key, prompt), Map.of()).agents().llm().orElseThrow();

        assertThat(llm.baseUrl()).isEqualTo(URI.create("http://localhost:11434/v1"));
        assertThat(llm.model()).isEqualTo("llama3");
        assertThat(llm.apiKey().value()).isEqualTo("sk-123");
        assertThat(llm.systemPrompt()).isEqualTo("Be brief.");
        assertThat(llm.historyBudgetChars()).isEqualTo(4000);
        assertThat(llm.firstTokenTimeout()).isEqualTo(Duration.ofSeconds(9));
        assertThat(llm.totalTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(llm.maxRetries()).isEqualTo(1);
        assertThat(llm.fallbackText()).isEqualTo("Try later");
        assertThat(llm.name()).isEqualTo("Ada");
        assertThat(llm.avatarUrl()).isEqualTo("https://example.com/ada.png");
    }

    @Test
    void anLlmWithoutKeyIsAllowedForLocalModels() throws IOException {
        AgentsConfig.Llm llm = load("agents: {default: llm, llm: {base_url: 'http://localhost:8000', model: m}}\n", Map.of())
                .agents().llm().orElseThrow();

        assertThat(llm.apiKey()).isNull();
        assertThat(llm.maxRetries()).isEqualTo(AgentsConfig.Llm.DEFAULT_MAX_RETRIES);
    }

    @Test
    void cancelOnNewMessageIsOffUnlessAskedForAndMustBeABoolean() throws IOException {
        String base = "agents: {default: llm, llm: {base_url: 'http://localhost:8000', model: m";
        assertThat(load(base + "}}\n", Map.of()).agents().llm().orElseThrow().cancelOnNewMessage()).isFalse();
        assertThat(load(base + ", cancel_on_new_message: true}}\n", Map.of()).agents().llm().orElseThrow().cancelOnNewMessage()).isTrue();
        refused(base + ", cancel_on_new_message: yes please}}\n", Map.of(), "cancel_on_new_message must be true or false");
    }

    @Test
    void aSecretWrittenInlineIsRefusedWithTheWayOut() {
        refused("agents: {webhook: {url: 'https://b.example.com', secret: hunter2}}\n", Map.of(),
                "'agents.webhook.secret' is not allowed", "secret_env", "secret_file");
        refused("agents: {llm: {base_url: 'https://b.example.com', model: m, api_key: sk}}\n", Map.of(),
                "'agents.llm.api_key' is not allowed", "api_key_env");
    }

    @Test
    void theInlineSecretItselfNeverAppearsInTheError() {
        assertThatThrownBy(() -> load("agents: {webhook: {secret: hunter2}}\n", Map.of()))
                .message().doesNotContain("hunter2");
    }

    @Test
    void unknownKindsAndKeysAreRefused() {
        refused("agents: {default: gpt}\n", Map.of(), "'agents.default' must be one of scripted, llm, webhook, got 'gpt'");
        refused("agents: {connectors: {con_a: human}}\n", Map.of(), "'agents.connectors.con_a'", "'human'");
        refused("agents: {webhook: {urll: x}}\n", Map.of(), "unknown key 'agents.webhook.urll'");
        refused("agents: {defualt: llm}\n", Map.of(), "unknown key 'agents.defualt'");
    }

    @Test
    void aSelectedKindWithoutItsSectionIsRefusedNamingWhoSelectedIt() {
        refused("agents: {default: webhook}\n", Map.of(), "webhook agent is selected by agents.default", "add an agents.webhook section");
        refused("agents: {connectors: {con_a: llm, con_b: llm}}\n", Map.of(),
                "llm agent is selected by agents.connectors (con_a, con_b)", "agents.llm");
    }

    @Test
    void aSelectedWebhookNeedsAWebUrlAndASecretThatCanBeRead() {
        refused("agents: {default: webhook, webhook: {secret_env: S}}\n", Map.of("S", "x"), "agents.webhook.url is required");
        refused("agents: {default: webhook, webhook: {url: 'ftp://b.example.com', secret_env: S}}\n", Map.of("S", "x"),
                "agents.webhook.url must be an http(s) URL");
        refused("agents: {default: webhook, webhook: {url: 'https://b.example.com'}}\n", Map.of(), "needs a signing secret");
        refused("agents: {default: webhook, webhook: {url: 'https://b.example.com', secret_env: S}}\n", Map.of(),
                "environment variable S is not set");
        refused("agents: {default: webhook, webhook: {url: 'https://b.example.com', secret_file: /nope/secret}}\n", Map.of(),
                "agents.webhook.secret_file: cannot read /nope/secret");
        refused("agents: {default: webhook, webhook: {url: 'https://b.example.com', secret_env: S, secret_file: f}}\n",
                Map.of("S", "x"), "not both");
        refused("agents: {default: webhook, webhook: {url: 'https://b.example.com', secret_env: S, timeout_seconds: 0}}\n",
                Map.of("S", "x"), "agents.webhook.timeout_seconds must be positive");
    }

    @Test
    void aSelectedLlmNeedsABaseUrlAModelAndReadableFiles() {
        refused("agents: {default: llm, llm: {model: m}}\n", Map.of(), "agents.llm.base_url is required");
        refused("agents: {default: llm, llm: {base_url: 'https://api.example.com'}}\n", Map.of(), "agents.llm.model is required");
        refused("agents: {default: llm, llm: {base_url: 'https://api.example.com', model: m, system_prompt_file: /nope.txt}}\n",
                Map.of(), "agents.llm.system_prompt_file: cannot read /nope.txt");
        refused("agents: {default: llm, llm: {base_url: 'https://api.example.com', model: m, api_key_env: K}}\n",
                Map.of(), "agents.llm.api_key_env: environment variable K is not set");
    }

    @Test
    void aSectionNothingSelectsIsNotReadSoItsSecretNeedNotExistYet() throws IOException {
        AgentsConfig agents = load("agents: {default: scripted, webhook: {url: 'https://b.example.com', secret_env: LATER}}\n",
                Map.of()).agents();

        assertThat(agents.webhook()).isPresent();
        assertThat(agents.webhook().orElseThrow().secret()).isNull();
    }
}
