package dev.parley.server.config;

import dev.parley.server.config.ParleyConfig.RateLimit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The mutable scratch pad of {@link ConfigLoader}: starts from {@link ParleyConfig#DEFAULTS}, each
 * source overwrites what it sets, then {@link #validate()} and {@link #toConfig()}. Confined to the
 * loading thread.
 */
final class Settings {
    /** HS256 needs at least 256 bits of key. */
    static final int MIN_JWT_SECRET_BYTES = 32;

    String bindAddress;
    int port;
    Path dataDir;
    String demoConnectorToken;
    String demoConnectorHost;
    Duration heartbeatInterval;
    Duration idleTimeout;
    Duration sessionInactivityTimeout;
    Duration sessionIdleWarning;
    Duration endedSessionRetention;
    Duration accessTokenLifetime;
    int maxConnectionsPerSession;
    int maxTextChars;
    RateLimit sessionMessageRate;
    RateLimit httpRate;
    Path flowFile;
    Duration streamChunkDelay;
    byte[] jwtSecret;
    DeskConfig desk;
    AgentsConfig agents;
    ParleyConfig.HandshakeFailureLimits handshakeFailures;
    ParleyConfig.HttpTimeouts httpTimeouts;
    ParleyConfig.Outbound outbound;
    ParleyConfig.Capacity capacity;
    StoreConfig store;
    FanOutConfig fanOut;
    ParleyConfig.Leases leases;
    dev.parley.server.webhooks.WebhookDeliverySettings webhooks;

    Settings(ParleyConfig c) {
        bindAddress = c.bindAddress();
        port = c.port();
        dataDir = c.dataDir();
        demoConnectorToken = c.demoConnectorToken();
        demoConnectorHost = c.demoConnectorHost();
        heartbeatInterval = c.heartbeatInterval();
        idleTimeout = c.idleTimeout();
        sessionInactivityTimeout = c.sessionInactivityTimeout();
        sessionIdleWarning = c.sessionIdleWarning();
        endedSessionRetention = c.endedSessionRetention();
        accessTokenLifetime = c.accessTokenLifetime();
        maxConnectionsPerSession = c.maxConnectionsPerSession();
        maxTextChars = c.maxTextChars();
        sessionMessageRate = c.sessionMessageRate();
        httpRate = c.httpRate();
        flowFile = c.flowFile();
        streamChunkDelay = c.streamChunkDelay();
        jwtSecret = c.jwtSecret();
        desk = c.desk();
        agents = c.agents();
        handshakeFailures = c.handshakeFailures();
        httpTimeouts = c.httpTimeouts();
        outbound = c.outbound();
        capacity = c.capacity();
        store = c.store();
        fanOut = c.fanOut();
        leases = c.leases();
        webhooks = c.webhooks();
    }

    /** An empty demo token means "no demo connector" in every source. */
    void demoToken(String token) {
        demoConnectorToken = token == null || token.isBlank() ? null : token.strip();
    }

    void deskEnabled(boolean enabled) {
        desk = new DeskConfig(enabled, desk.queues(), desk.requeueGrace(), desk.statusPeriod(),
                desk.demoAgentName(), desk.demoAgentPassword(), desk.login());
    }

    void validate() {
        check(port >= 0 && port <= 65_535, "port must be between 0 and 65535 (0 picks a free port), got " + port);
        check(bindAddress != null && !bindAddress.isBlank(), "bind address must not be empty");
        positive(heartbeatInterval, "heartbeat interval");
        positive(idleTimeout, "idle timeout");
        positive(sessionInactivityTimeout, "session inactivity timeout");
        check(!sessionIdleWarning.isNegative(), "session_idle_warning_seconds must not be negative");
        positive(endedSessionRetention, "ended session retention");
        check(accessTokenLifetime.toSeconds() >= 1, "access token lifetime must be at least 1 second");
        check(!streamChunkDelay.isNegative(), "stream chunk delay must not be negative");
        check(maxConnectionsPerSession >= 1, "max_connections_per_session must be at least 1");
        check(maxTextChars >= 1, "max_text_chars must be at least 1");
        rate(sessionMessageRate, "rate_limits.session_messages");
        rate(httpRate, "rate_limits.http");
        rate(handshakeFailures.perAddress(), "rate_limits.handshake_failures_per_address");
        rate(handshakeFailures.perToken(), "rate_limits.handshake_failures_per_token");
        positive(httpTimeouts.request(), "http.request_timeout_seconds");
        positive(httpTimeouts.keepAliveIdle(), "http.keep_alive_idle_seconds");
        positive(outbound.slowConsumerTimeout(), "outbound.slow_consumer_timeout_seconds");
        check(outbound.perSocketBytes() >= 1 << 20, "outbound.per_socket_mb must be at least 1");
        check(outbound.budgetBytes() >= outbound.perSocketBytes(), "outbound.budget_mb must be at least outbound.per_socket_mb");
        check(capacity.eventLoops() >= 1, "event_loops must be at least 1");
        check(capacity.journalQueue() >= 1, "journal_queue_capacity must be at least 1");
        check(demoConnectorToken == null || (demoConnectorHost != null && !demoConnectorHost.isBlank()),
                "the demo connector needs a host (demo_connector.host / PARLEY_DEMO_CONNECTOR_HOST)");
        check(flowFile == null || Files.isRegularFile(flowFile), "flow file not found: " + flowFile);
        check(jwtSecret == null || jwtSecret.length >= MIN_JWT_SECRET_BYTES,
                "PARLEY_JWT_SECRET must be at least " + MIN_JWT_SECRET_BYTES + " bytes (256 bits)");
        validateDesk();
        validateStore();
        validateFanOut();
    }

    private void validateFanOut() {
        if (!fanOut.isRedis()) {
            return;
        }
        String url = fanOut.url() == null ? "" : fanOut.url().toLowerCase(java.util.Locale.ROOT);
        check(url.startsWith("redis://") || url.startsWith("rediss://"),
                "fanout.url must be a redis://host:port URL when fanout.kind is redis, got "
                        + (fanOut.url() == null ? "nothing" : "'" + fanOut.url() + "'"));
    }

    /**
     * PostgreSQL mode is the multi-node mode: every node must hash connector tokens and sign access
     * tokens with the same key, so a per-node {@code <dataDir>/jwt.secret} is not good enough there.
     */
    private void validateStore() {
        positive(leases.renewPeriod(), "store.lease_renew_seconds");
        check(leases.renewPeriod().compareTo(leases.ttl()) < 0,
                "store.lease_renew_seconds must be shorter than store.lease_ttl_seconds, or leases lapse between renewals");
        if (!store.isPostgres()) {
            return;
        }
        check(store.url() != null && store.url().startsWith("jdbc:postgresql://"),
                "store.url must be a jdbc:postgresql://host:port/database URL when store.kind is postgres, got "
                        + (store.url() == null ? "nothing" : "'" + store.url() + "'"));
        check(!store.url().toLowerCase(java.util.Locale.ROOT).contains("password="),
                "store.url must not carry the password: name an environment variable with store.password_env"
                        + " or a file with store.password_file");
        check(store.poolSize() >= 1 && store.poolSize() <= 1000, "store.pool_size must be between 1 and 1000, got "
                + store.poolSize());
        check(store.passwordEnv() == null || store.passwordFile() == null,
                "store: set password_env or password_file, not both");
        check(jwtSecret != null, "store.kind postgres needs a secret shared by all nodes: set "
                + ConfigLoader.ENV_JWT_SECRET + " or " + ConfigLoader.ENV_JWT_SECRET_FILE
                + " (32 bytes or more, e.g. `openssl rand -base64 32`)");
    }

    /** Reads the PostgreSQL password from the environment or its file (nothing to read for SQLite). */
    void resolveStore(java.util.Map<String, String> env) {
        if (!store.isPostgres() || store.password() != null) {
            return;
        }
        Secret password = store.passwordEnv() != null ? fromEnv(env, store.passwordEnv(), "store.password_env")
                : store.passwordFile() != null ? new Secret(readFile(store.passwordFile(), "store.password_file"))
                : null; // trust or peer authentication needs none
        store = store.withPassword(password);
    }

    /** {@code PARLEY_JWT_SECRET_FILE}: the file's text, used as raw UTF-8 bytes like {@code PARLEY_JWT_SECRET}. */
    void jwtSecretFromFile(Path file) {
        jwtSecret = readFile(file, ConfigLoader.ENV_JWT_SECRET_FILE).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * A secret kept as URL-safe base64, the format of {@code <data_dir>/jwt.secret}: a copy of an
     * embedded node's secret lets PostgreSQL nodes keep its connector tokens and context keys
     * (the hashes are keyed with the secret's bytes, which {@link #jwtSecretFromFile} would not reproduce).
     */
    void jwtSecretFromBase64File(Path file) {
        String text = readFile(file, ConfigLoader.ENV_JWT_SECRET_BASE64_FILE);
        try {
            jwtSecret = java.util.Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ConfigLoader.ENV_JWT_SECRET_BASE64_FILE + ": " + file + " is not URL-safe base64");
        }
    }

    private void validateDesk() {
        positive(desk.requeueGrace(), "desk.requeue_grace_seconds");
        positive(desk.statusPeriod(), "desk.status_period_seconds");
        java.util.Set<String> names = new java.util.HashSet<>();
        for (dev.parley.server.desk.QueueSettings q : desk.queues()) {
            check(q.name() != null && !q.name().isBlank(), "desk.queues: every queue needs a name");
            check(q.name().matches("[A-Za-z0-9_.-]+"),
                    "desk.queues: queue name '" + q.name() + "' may only use letters, digits, '_', '.' and '-'");
            check(names.add(q.name()), "desk.queues: duplicate queue name '" + q.name() + "'");
            positive(q.maxWait(), "desk.queues." + q.name() + ".max_wait_seconds");
        }
        check(!desk.enabled() || !desk.queues().isEmpty(), "desk.queues: the desk is enabled but has no queue");
        check(desk.demoAgentName() == null || (desk.demoAgentPassword() != null && !desk.demoAgentPassword().isEmpty()),
                "desk.demo_agent.password must be set when desk.demo_agent.name is");
    }

    ParleyConfig toConfig() {
        return new ParleyConfig(bindAddress.strip(), port, dataDir, demoConnectorToken,
                demoConnectorToken == null ? demoConnectorHost : demoConnectorHost.strip(), heartbeatInterval,
                idleTimeout, sessionInactivityTimeout, sessionIdleWarning, endedSessionRetention, accessTokenLifetime,
                maxConnectionsPerSession, maxTextChars, sessionMessageRate, httpRate, flowFile, streamChunkDelay,
                jwtSecret, desk, agents, handshakeFailures, httpTimeouts, outbound, capacity, store, fanOut, leases,
                webhooks);
    }

    /**
     * Checks the {@code agents} selection and reads the secrets and prompt of the selected kinds
     * (from {@code env} or files). Sections of kinds nothing selects are not read.
     */
    void resolveAgents(java.util.Map<String, String> env) {
        for (var e : agents.connectors().entrySet()) {
            check(!e.getKey().isBlank(), "agents.connectors: a connector id must not be empty");
        }
        if (agents.selects(AgentsConfig.Kind.LLM)) {
            AgentsConfig.Llm llm = agents.llm().orElseThrow(() -> notConfigured(AgentsConfig.Kind.LLM));
            webUrl(llm.baseUrl(), "agents.llm.base_url");
            check(llm.model() != null && !llm.model().isBlank(), "agents.llm.model is required when the llm agent is selected");
            check(llm.historyBudgetChars() >= 1, "agents.llm.history_budget_chars must be at least 1");
            positive(llm.firstTokenTimeout(), "agents.llm.first_token_timeout_seconds");
            positive(llm.totalTimeout(), "agents.llm.total_timeout_seconds");
            check(llm.maxRetries() >= 0 && llm.maxRetries() <= 10, "agents.llm.max_retries must be between 0 and 10");
            check(llm.avatarUrl() == null || isWebUrl(llm.avatarUrl()), "agents.llm.avatar_url must be an http(s) URL");
            check(!(llm.apiKeyEnv() != null && llm.apiKeyFile() != null),
                    "agents.llm: set api_key_env or api_key_file, not both");
            Secret key = llm.apiKeyEnv() != null ? fromEnv(env, llm.apiKeyEnv(), "agents.llm.api_key_env")
                    : llm.apiKeyFile() != null ? new Secret(readFile(llm.apiKeyFile(), "agents.llm.api_key_file"))
                    : null; // a local model may need no key
            String prompt = llm.systemPromptFile() == null ? null
                    : readFile(llm.systemPromptFile(), "agents.llm.system_prompt_file");
            agents = agents.withLlm(llm.withSecrets(key, prompt));
        }
        if (agents.selects(AgentsConfig.Kind.WEBHOOK)) {
            AgentsConfig.Webhook hook = agents.webhook().orElseThrow(() -> notConfigured(AgentsConfig.Kind.WEBHOOK));
            webUrl(hook.url(), "agents.webhook.url");
            positive(hook.timeout(), "agents.webhook.timeout_seconds");
            check(hook.maxRetries() >= 0 && hook.maxRetries() <= 10, "agents.webhook.max_retries must be between 0 and 10");
            check(hook.historyTurns() >= 0, "agents.webhook.history_turns must not be negative");
            check(hook.avatarUrl() == null || isWebUrl(hook.avatarUrl()), "agents.webhook.avatar_url must be an http(s) URL");
            check(hook.secretEnv() != null || hook.secretFile() != null,
                    "agents.webhook needs a signing secret: set secret_env (an environment variable name) or secret_file");
            check(hook.secretEnv() == null || hook.secretFile() == null,
                    "agents.webhook: set secret_env or secret_file, not both");
            Secret secret = hook.secretEnv() != null ? fromEnv(env, hook.secretEnv(), "agents.webhook.secret_env")
                    : new Secret(readFile(hook.secretFile(), "agents.webhook.secret_file"));
            agents = agents.withWebhook(hook.withSecret(secret));
        }
    }

    private ConfigException notConfigured(AgentsConfig.Kind kind) {
        String by = agents.defaultKind() == kind ? "agents.default"
                : "agents.connectors (" + String.join(", ", agents.connectors().entrySet().stream()
                        .filter(e -> e.getValue() == kind).map(java.util.Map.Entry::getKey).sorted().toList()) + ")";
        return new ConfigException("the " + kind.yamlName() + " agent is selected by " + by
                + " but not configured: add an agents." + kind.yamlName() + " section");
    }

    private static Secret fromEnv(java.util.Map<String, String> env, String name, String key) {
        String value = env.get(name);
        check(value != null && !value.isBlank(), key + ": environment variable " + name + " is not set or empty");
        return new Secret(value.strip());
    }

    /** The file's text without surrounding whitespace (an editor's trailing newline is not part of a key). */
    private static String readFile(Path file, String key) {
        try {
            String text = Files.readString(file).strip();
            check(!text.isEmpty(), key + ": " + file + " is empty");
            return text;
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            throw new ConfigException(key + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static void webUrl(java.net.URI url, String key) {
        check(url != null, key + " is required when that agent is selected");
        check(isWebUrl(url.toString()), key + " must be an http(s) URL with a host, got '" + url + "'");
    }

    private static boolean isWebUrl(String value) {
        try {
            java.net.URI uri = new java.net.URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static void positive(Duration value, String name) {
        check(value != null && !value.isNegative() && !value.isZero(), name + " must be positive, got " + value);
    }

    private static void rate(RateLimit rate, String name) {
        check(rate.perSecond() > 0 && !Double.isInfinite(rate.perSecond()), name + ".per_second must be positive");
        check(rate.burst() >= 1, name + ".burst must be at least 1");
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new ConfigException(message);
        }
    }
}
