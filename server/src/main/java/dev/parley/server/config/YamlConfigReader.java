package dev.parley.server.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.parley.server.config.ParleyConfig.RateLimit;
import dev.parley.server.desk.LoginLimits;
import dev.parley.server.desk.QueueSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Applies a {@code parley.yaml} to {@link Settings}. Keys are snake_case; an unknown key is an error
 * naming it, because a misspelt key silently ignored is a setting silently lost. Relative paths are
 * taken as given, i.e. relative to the working directory, like the flags.
 */
final class YamlConfigReader {
    private static final YAMLMapper YAML = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
    private static final Set<String> ROOT_KEYS = Set.of("port", "bind_address", "data_dir", "demo_connector",
            "heartbeat_interval_seconds", "idle_timeout_seconds", "session_inactivity_timeout_seconds",
            "session_idle_warning_seconds",
            "ended_session_retention_days", "access_token_lifetime_seconds", "max_connections_per_session",
            "max_text_chars", "rate_limits", "agent", "agents", "desk", "http", "outbound",
            "event_loops", "journal_queue_capacity", "store", "fanout", "webhooks");
    private static final Set<String> AGENTS_KEYS = Set.of("default", "connectors", "llm", "webhook");
    private static final Set<String> LLM_KEYS = Set.of("base_url", "model", "api_key_env", "api_key_file",
            "system_prompt_file", "history_budget_chars", "first_token_timeout_seconds", "total_timeout_seconds",
            "max_retries", "fallback_text", "name", "avatar_url", "cancel_on_new_message");
    private static final Set<String> WEBHOOK_KEYS = Set.of("url", "secret_env", "secret_file", "timeout_seconds",
            "max_retries", "name", "avatar_url", "history_turns");

    private final Path file;

    YamlConfigReader(Path file) {
        this.file = file;
    }

    void applyTo(Settings s) {
        JsonNode root = parse();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return; // an empty file changes nothing
        }
        mapping(root, "", ROOT_KEYS);
        if (has(root, "port")) s.port = integer(root.get("port"), "port");
        if (has(root, "bind_address")) s.bindAddress = text(root.get("bind_address"), "bind_address");
        if (has(root, "data_dir")) s.dataDir = Path.of(text(root.get("data_dir"), "data_dir"));
        if (has(root, "heartbeat_interval_seconds")) s.heartbeatInterval = duration(root, "heartbeat_interval_seconds");
        if (has(root, "idle_timeout_seconds")) s.idleTimeout = duration(root, "idle_timeout_seconds");
        if (has(root, "session_inactivity_timeout_seconds")) {
            s.sessionInactivityTimeout = duration(root, "session_inactivity_timeout_seconds");
        }
        if (has(root, "session_idle_warning_seconds")) {
            s.sessionIdleWarning = duration(root, "session_idle_warning_seconds");
        }
        if (has(root, "ended_session_retention_days")) {
            s.endedSessionRetention = Duration.ofDays(integer(root.get("ended_session_retention_days"), "ended_session_retention_days"));
        }
        if (has(root, "access_token_lifetime_seconds")) s.accessTokenLifetime = duration(root, "access_token_lifetime_seconds");
        if (has(root, "max_connections_per_session")) {
            s.maxConnectionsPerSession = integer(root.get("max_connections_per_session"), "max_connections_per_session");
        }
        if (has(root, "max_text_chars")) s.maxTextChars = integer(root.get("max_text_chars"), "max_text_chars");
        if (root.has("demo_connector")) demoConnector(root.get("demo_connector"), s);
        if (has(root, "event_loops")) {
            s.capacity = new ParleyConfig.Capacity(integer(root.get("event_loops"), "event_loops"), s.capacity.journalQueue());
        }
        if (has(root, "journal_queue_capacity")) {
            s.capacity = new ParleyConfig.Capacity(s.capacity.eventLoops(),
                    integer(root.get("journal_queue_capacity"), "journal_queue_capacity"));
        }
        if (has(root, "rate_limits")) rateLimits(root.get("rate_limits"), s);
        if (has(root, "http")) http(root.get("http"), s);
        if (has(root, "outbound")) outbound(root.get("outbound"), s);
        if (has(root, "agent")) agent(root.get("agent"), s);
        if (has(root, "desk")) desk(root.get("desk"), s);
        if (has(root, "agents")) agents(root.get("agents"), s);
        if (has(root, "store")) store(root.get("store"), s);
        if (has(root, "fanout")) fanOut(root.get("fanout"), s);
        if (has(root, "webhooks")) webhooks(root.get("webhooks"), s);
    }

    /** {@code webhooks}: outgoing webhook delivery (issue 14); each key left out keeps its default. */
    private void webhooks(JsonNode node, Settings s) {
        mapping(node, "webhooks.", Set.of("max_attempts", "initial_backoff_seconds", "max_backoff_seconds",
                "timeout_seconds", "concurrency", "lease_seconds"));
        var w = s.webhooks;
        int attempts = has(node, "max_attempts") ? integer(node.get("max_attempts"), "webhooks.max_attempts") : w.maxAttempts();
        Duration initial = has(node, "initial_backoff_seconds") ? duration(node, "initial_backoff_seconds") : w.initialBackoff();
        Duration max = has(node, "max_backoff_seconds") ? duration(node, "max_backoff_seconds") : w.maxBackoff();
        Duration timeout = has(node, "timeout_seconds") ? duration(node, "timeout_seconds") : w.attemptTimeout();
        int concurrency = has(node, "concurrency") ? integer(node.get("concurrency"), "webhooks.concurrency") : w.concurrency();
        Duration lease = has(node, "lease_seconds") ? duration(node, "lease_seconds") : w.lease();
        try {
            s.webhooks = new dev.parley.server.webhooks.WebhookDeliverySettings(attempts, initial, max, timeout, concurrency,
                    w.pollInterval(), lease);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file + ": webhooks: " + e.getMessage());
        }
    }

    /** {@code fanout}: {@code kind} (memory or redis) and {@code url}; each left out keeps its default. */
    private void fanOut(JsonNode node, Settings s) {
        mapping(node, "fanout.", Set.of("kind", "url"));
        FanOutConfig c = s.fanOut;
        if (has(node, "kind")) {
            String name = text(node.get("kind"), "fanout.kind");
            c = c.withKind(FanOutConfig.Kind.parse(name).orElseThrow(() ->
                    new ConfigException(file + ": 'fanout.kind' must be memory or redis, got '" + name + "'")));
        }
        if (has(node, "url")) c = c.withUrl(text(node.get("url"), "fanout.url").strip());
        s.fanOut = c;
    }

    /** {@code store}: each key left out keeps its default; the password only by reference. */
    private void store(JsonNode node, Settings s) {
        inlineSecret(node, "store.", "password", "password_env", "password_file");
        mapping(node, "store.", Set.of("kind", "url", "user", "password_env", "password_file", "pool_size",
                "lease_ttl_seconds", "lease_renew_seconds", "migrate_on_start"));
        StoreConfig c = s.store;
        if (has(node, "kind")) {
            String name = text(node.get("kind"), "store.kind");
            c = c.withKind(StoreConfig.Kind.parse(name).orElseThrow(() ->
                    new ConfigException(file + ": 'store.kind' must be sqlite or postgres, got '" + name + "'")));
        }
        if (has(node, "url")) c = c.withUrl(text(node.get("url"), "store.url").strip());
        if (has(node, "user")) c = c.withUser(text(node.get("user"), "store.user"));
        if (has(node, "password_env") || has(node, "password_file")) {
            c = c.withPasswordSources(optional(node, "password_env", "store."), optionalPath(node, "password_file", "store."));
        }
        if (has(node, "pool_size")) c = c.withPoolSize(integer(node.get("pool_size"), "store.pool_size"));
        if (has(node, "migrate_on_start")) {
            c = c.withMigrateOnStart(bool(node.get("migrate_on_start"), "store.migrate_on_start"));
        }
        if (has(node, "lease_ttl_seconds")) {
            s.leases = new ParleyConfig.Leases(duration(node, "lease_ttl_seconds"), s.leases.renewPeriod());
        }
        if (has(node, "lease_renew_seconds")) {
            s.leases = new ParleyConfig.Leases(s.leases.ttl(), duration(node, "lease_renew_seconds"));
        }
        s.store = c;
    }

    private void agents(JsonNode node, Settings s) {
        mapping(node, "agents.", AGENTS_KEYS);
        AgentsConfig a = s.agents;
        if (has(node, "default")) a = a.withDefault(kind(node.get("default"), "agents.default"));
        if (node.has("connectors")) {
            JsonNode connectors = node.get("connectors");
            java.util.Map<String, AgentsConfig.Kind> map = new java.util.LinkedHashMap<>();
            if (!connectors.isNull()) {
                if (!connectors.isObject()) throw typeError("agents.connectors", "a mapping of connector id to agent kind", connectors);
                for (Iterator<Map.Entry<String, JsonNode>> it = connectors.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    map.put(e.getKey(), kind(e.getValue(), "agents.connectors." + e.getKey()));
                }
            }
            a = a.withConnectors(map);
        }
        if (has(node, "llm")) a = a.withLlm(llm(node.get("llm")));
        if (has(node, "webhook")) a = a.withWebhook(webhook(node.get("webhook")));
        s.agents = a;
    }

    private AgentsConfig.Kind kind(JsonNode value, String key) {
        String name = text(value, key);
        return AgentsConfig.Kind.parse(name).orElseThrow(() -> new ConfigException(file + ": '" + key
                + "' must be one of scripted, llm, webhook, got '" + name + "'"));
    }

    private AgentsConfig.Llm llm(JsonNode node) {
        inlineSecret(node, "agents.llm.", "api_key", "api_key_env", "api_key_file");
        mapping(node, "agents.llm.", LLM_KEYS);
        return new AgentsConfig.Llm(
                has(node, "base_url") ? uri(node.get("base_url"), "agents.llm.base_url") : null,
                optional(node, "model", "agents.llm."),
                optional(node, "api_key_env", "agents.llm."),
                optionalPath(node, "api_key_file", "agents.llm."),
                null,
                optionalPath(node, "system_prompt_file", "agents.llm."),
                null,
                has(node, "history_budget_chars") ? integer(node.get("history_budget_chars"), "agents.llm.history_budget_chars")
                        : AgentsConfig.Llm.DEFAULT_HISTORY_BUDGET_CHARS,
                AgentsConfig.Llm.DEFAULT_CONNECT_TIMEOUT,
                has(node, "first_token_timeout_seconds") ? duration(node, "first_token_timeout_seconds")
                        : AgentsConfig.Llm.DEFAULT_FIRST_TOKEN_TIMEOUT,
                has(node, "total_timeout_seconds") ? duration(node, "total_timeout_seconds")
                        : AgentsConfig.Llm.DEFAULT_TOTAL_TIMEOUT,
                has(node, "max_retries") ? integer(node.get("max_retries"), "agents.llm.max_retries")
                        : AgentsConfig.Llm.DEFAULT_MAX_RETRIES,
                optional(node, "fallback_text", "agents.llm."),
                has(node, "name") ? text(node.get("name"), "agents.llm.name") : AgentsConfig.Llm.DEFAULT_NAME,
                optional(node, "avatar_url", "agents.llm."),
                has(node, "cancel_on_new_message") && bool(node.get("cancel_on_new_message"),
                        "agents.llm.cancel_on_new_message"));
    }

    private AgentsConfig.Webhook webhook(JsonNode node) {
        inlineSecret(node, "agents.webhook.", "secret", "secret_env", "secret_file");
        mapping(node, "agents.webhook.", WEBHOOK_KEYS);
        return new AgentsConfig.Webhook(
                has(node, "url") ? uri(node.get("url"), "agents.webhook.url") : null,
                optional(node, "secret_env", "agents.webhook."),
                optionalPath(node, "secret_file", "agents.webhook."),
                null,
                has(node, "timeout_seconds") ? duration(node, "timeout_seconds") : AgentsConfig.Webhook.DEFAULT_TIMEOUT,
                has(node, "max_retries") ? integer(node.get("max_retries"), "agents.webhook.max_retries")
                        : AgentsConfig.Webhook.DEFAULT_MAX_RETRIES,
                has(node, "name") ? text(node.get("name"), "agents.webhook.name") : AgentsConfig.Webhook.DEFAULT_NAME,
                optional(node, "avatar_url", "agents.webhook."),
                has(node, "history_turns") ? integer(node.get("history_turns"), "agents.webhook.history_turns")
                        : AgentsConfig.Webhook.DEFAULT_HISTORY_TURNS);
    }

    /** A secret written into the file would end up in backups and version control: refused with the way out. */
    private void inlineSecret(JsonNode node, String prefix, String key, String envKey, String fileKey) {
        if (node.isObject() && node.has(key)) {
            throw new ConfigException(file + ": '" + prefix + key + "' is not allowed: secrets are never written in "
                    + "the config file; name an environment variable with '" + prefix + envKey
                    + "' or a file with '" + prefix + fileKey + "'");
        }
    }

    private java.net.URI uri(JsonNode value, String key) {
        String text = text(value, key);
        try {
            return new java.net.URI(text.strip());
        } catch (java.net.URISyntaxException e) {
            throw new ConfigException(file + ": '" + key + "' is not a URL: " + e.getMessage());
        }
    }

    private String optional(JsonNode node, String key, String prefix) {
        return has(node, key) ? text(node.get(key), prefix + key) : null;
    }

    private Path optionalPath(JsonNode node, String key, String prefix) {
        return has(node, key) ? Path.of(text(node.get(key), prefix + key)) : null;
    }

    private void desk(JsonNode node, Settings s) {
        mapping(node, "desk.", Set.of("enabled", "queues", "requeue_grace_seconds", "status_period_seconds", "demo_agent",
                "login"));
        DeskConfig d = s.desk;
        boolean enabled = d.enabled();
        java.util.List<QueueSettings> queues = d.queues();
        java.time.Duration grace = d.requeueGrace();
        java.time.Duration status = d.statusPeriod();
        String demoName = d.demoAgentName();
        String demoPassword = d.demoAgentPassword();
        if (has(node, "enabled")) {
            JsonNode value = node.get("enabled");
            if (!value.isBoolean()) throw typeError("desk.enabled", "true or false", value);
            enabled = value.asBoolean();
        }
        if (node.has("queues")) queues = queues(node.get("queues"));
        if (has(node, "requeue_grace_seconds")) grace = duration(node, "requeue_grace_seconds");
        if (has(node, "status_period_seconds")) status = duration(node, "status_period_seconds");
        if (node.has("demo_agent")) {
            JsonNode demo = node.get("demo_agent");
            if (demo.isNull()) {
                demoName = null; // "demo_agent:" with nothing under it: no demo agent
                demoPassword = null;
            } else {
                mapping(demo, "desk.demo_agent.", Set.of("name", "password"));
                if (has(demo, "name")) demoName = text(demo.get("name"), "desk.demo_agent.name");
                if (has(demo, "password")) demoPassword = text(demo.get("password"), "desk.demo_agent.password");
            }
        }
        LoginLimits login = has(node, "login") ? login(node.get("login"), d.login()) : d.login();
        s.desk = new DeskConfig(enabled, queues, grace, status, demoName, demoPassword, login);
    }

    /** {@code desk.login}: each key left out keeps its default. */
    private LoginLimits login(JsonNode node, LoginLimits d) {
        String p = "desk.login.";
        mapping(node, p, Set.of("failures_per_name_and_address", "failures_per_name", "failures_per_address",
                "lockout_seconds", "bad_tokens_per_minute", "bcrypt_threads", "bcrypt_queue"));
        try {
            return new LoginLimits(
                    has(node, "failures_per_name_and_address")
                            ? integer(node.get("failures_per_name_and_address"), p + "failures_per_name_and_address")
                            : d.failuresPerNameAndAddress(),
                    has(node, "failures_per_name") ? integer(node.get("failures_per_name"), p + "failures_per_name")
                            : d.failuresPerName(),
                    has(node, "failures_per_address") ? integer(node.get("failures_per_address"), p + "failures_per_address")
                            : d.failuresPerAddress(),
                    has(node, "lockout_seconds") ? duration(node, "lockout_seconds") : d.lockout(),
                    has(node, "bad_tokens_per_minute") ? integer(node.get("bad_tokens_per_minute"), p + "bad_tokens_per_minute")
                            : d.badTokensPerMinute(),
                    has(node, "bcrypt_threads") ? integer(node.get("bcrypt_threads"), p + "bcrypt_threads") : d.bcryptThreads(),
                    has(node, "bcrypt_queue") ? integer(node.get("bcrypt_queue"), p + "bcrypt_queue") : d.bcryptQueue());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file + ": " + e.getMessage());
        }
    }

    private java.util.List<QueueSettings> queues(JsonNode node) {
        if (node.isNull()) {
            return java.util.List.of();
        }
        if (!node.isArray()) throw typeError("desk.queues", "a list of queues", node);
        java.util.List<QueueSettings> queues = new java.util.ArrayList<>();
        int i = 0;
        for (JsonNode q : node) {
            String key = "desk.queues[" + i++ + "]";
            mapping(q, key + ".", Set.of("name", "assignment", "max_wait_seconds", "hours"));
            if (!has(q, "name")) throw new ConfigException(file + ": '" + key + ".name' is required");
            String name = text(q.get("name"), key + ".name");
            QueueSettings.Assignment assignment = QueueSettings.Assignment.AUTO;
            if (has(q, "assignment")) {
                String value = text(q.get("assignment"), key + ".assignment");
                assignment = switch (value.toLowerCase(java.util.Locale.ROOT)) {
                    case "auto" -> QueueSettings.Assignment.AUTO;
                    case "manual" -> QueueSettings.Assignment.MANUAL;
                    default -> throw new ConfigException(file + ": '" + key + ".assignment' must be auto or manual, got '" + value + "'");
                };
            }
            java.time.Duration maxWait = has(q, "max_wait_seconds") ? duration(q, "max_wait_seconds") : java.time.Duration.ofMinutes(10);
            // Absent (or null): always open, as before business hours existed.
            dev.parley.server.desk.BusinessHours hours = has(q, "hours") ? new HoursReader(file).read(q.get("hours"), key + ".hours") : null;
            queues.add(new QueueSettings(name, assignment, maxWait, true, hours));
        }
        return queues;
    }

    private JsonNode parse() {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read YAML: " + e.getMessage(), e);
        }
    }

    private void demoConnector(JsonNode node, Settings s) {
        if (node.isNull()) {
            s.demoToken(null); // "demo_connector:" with nothing under it turns the demo off
            return;
        }
        mapping(node, "demo_connector.", Set.of("token", "host"));
        if (node.has("token")) s.demoToken(node.get("token").isNull() ? null : text(node.get("token"), "demo_connector.token"));
        if (has(node, "host")) s.demoConnectorHost = text(node.get("host"), "demo_connector.host");
    }

    private void rateLimits(JsonNode node, Settings s) {
        mapping(node, "rate_limits.", Set.of("session_messages", "http",
                "handshake_failures_per_address", "handshake_failures_per_token"));
        if (has(node, "session_messages")) s.sessionMessageRate = rate(node.get("session_messages"), "rate_limits.session_messages", s.sessionMessageRate);
        if (has(node, "http")) s.httpRate = rate(node.get("http"), "rate_limits.http", s.httpRate);
        ParleyConfig.HandshakeFailureLimits failures = s.handshakeFailures;
        if (has(node, "handshake_failures_per_address")) failures = new ParleyConfig.HandshakeFailureLimits(
                rate(node.get("handshake_failures_per_address"), "rate_limits.handshake_failures_per_address", failures.perAddress()),
                failures.perToken());
        if (has(node, "handshake_failures_per_token")) failures = new ParleyConfig.HandshakeFailureLimits(failures.perAddress(),
                rate(node.get("handshake_failures_per_token"), "rate_limits.handshake_failures_per_token", failures.perToken()));
        s.handshakeFailures = failures;
    }

    private void http(JsonNode node, Settings s) {
        mapping(node, "http.", Set.of("request_timeout_seconds", "keep_alive_idle_seconds"));
        Duration request = has(node, "request_timeout_seconds") ? duration(node, "request_timeout_seconds")
                : s.httpTimeouts.request();
        Duration idle = has(node, "keep_alive_idle_seconds") ? duration(node, "keep_alive_idle_seconds")
                : s.httpTimeouts.keepAliveIdle();
        s.httpTimeouts = new ParleyConfig.HttpTimeouts(request, idle);
    }

    private void outbound(JsonNode node, Settings s) {
        mapping(node, "outbound.", Set.of("slow_consumer_timeout_seconds", "budget_mb", "per_socket_mb"));
        ParleyConfig.Outbound o = s.outbound;
        Duration timeout = has(node, "slow_consumer_timeout_seconds") ? duration(node, "slow_consumer_timeout_seconds")
                : o.slowConsumerTimeout();
        long budget = has(node, "budget_mb") ? (long) integer(node.get("budget_mb"), "outbound.budget_mb") << 20 : o.budgetBytes();
        long perSocket = has(node, "per_socket_mb") ? (long) integer(node.get("per_socket_mb"), "outbound.per_socket_mb") << 20
                : o.perSocketBytes();
        s.outbound = new ParleyConfig.Outbound(timeout, budget, perSocket);
    }

    private RateLimit rate(JsonNode node, String key, RateLimit current) {
        mapping(node, key + ".", Set.of("per_second", "burst"));
        double perSecond = current.perSecond();
        int burst = current.burst();
        if (has(node, "per_second")) {
            JsonNode value = node.get("per_second");
            if (!value.isNumber()) throw typeError(key + ".per_second", "a number", value);
            perSecond = value.asDouble();
        }
        if (has(node, "burst")) burst = integer(node.get("burst"), key + ".burst");
        return new RateLimit(perSecond, burst);
    }

    private void agent(JsonNode node, Settings s) {
        mapping(node, "agent.", Set.of("flow_file", "stream_chunk_delay_ms"));
        if (has(node, "flow_file")) s.flowFile = Path.of(text(node.get("flow_file"), "agent.flow_file"));
        if (has(node, "stream_chunk_delay_ms")) {
            s.streamChunkDelay = Duration.ofMillis(integer(node.get("stream_chunk_delay_ms"), "agent.stream_chunk_delay_ms"));
        }
    }

    /** Fails unless the node is a mapping whose keys are all known. */
    private void mapping(JsonNode node, String prefix, Set<String> known) {
        if (!node.isObject()) {
            String where = prefix.isEmpty() ? "the top level" : "'" + prefix.substring(0, prefix.length() - 1) + "'";
            throw new ConfigException(file + ": " + where + " must be a mapping of keys to values");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            String key = it.next().getKey();
            if (!known.contains(key)) {
                throw new ConfigException(file + ": unknown key '" + prefix + key + "' (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private Duration duration(JsonNode parent, String key) {
        JsonNode value = parent.get(key);
        if (value.isIntegralNumber()) {
            return Duration.ofSeconds(value.asLong());
        }
        if (value.isTextual()) {
            return Durations.parse(value.asText(), file + ": " + key);
        }
        throw typeError(key, "seconds or a duration like 30s", value);
    }

    private int integer(JsonNode value, String key) {
        if (!value.isIntegralNumber() || !value.canConvertToInt()) throw typeError(key, "an integer", value);
        return value.asInt();
    }

    private String text(JsonNode value, String key) {
        if (!value.isValueNode() || value.isNull()) throw typeError(key, "a string", value);
        return value.asText();
    }

    private ConfigException typeError(String key, String expected, JsonNode got) {
        return new ConfigException(file + ": '" + key + "' must be " + expected + ", got " + got);
    }

    private static boolean has(JsonNode node, String key) {
        return node.hasNonNull(key);
    }

    private static boolean bool(JsonNode value, String key) {
        if (!value.isBoolean()) {
            throw new ConfigException(key + " must be true or false, got " + value);
        }
        return value.booleanValue();
    }
}
