package dev.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.server.config.ParleyConfig.RateLimit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private ConfigLoader loader() {
        return new ConfigLoader(dir.resolve("parley.yaml"));
    }

    private Path yaml(String text) throws IOException {
        return Files.writeString(dir.resolve("parley.yaml"), text);
    }

    private ParleyConfig load(Map<String, String> env) {
        return loader().load(env, ConfigOverrides.NONE);
    }

    private static ConfigOverrides portFlag(int port) {
        return new ConfigOverrides(port, null, null, null, null, null, false, null, null, null, null);
    }

    @Test
    void withoutFileEnvironmentOrFlagsTheDefaultsApply() {
        ParleyConfig config = load(Map.of());

        assertThat(config).usingRecursiveComparison().isEqualTo(ParleyConfig.DEFAULTS);
    }

    @Test
    void fileOverridesDefaultsEnvironmentOverridesFileFlagsOverrideEnvironment() throws IOException {
        yaml("port: 9001\nbind_address: 0.0.0.0\nidle_timeout_seconds: 120\n");

        assertThat(load(Map.of()).port()).isEqualTo(9001);
        assertThat(load(Map.of("PARLEY_PORT", "9002")).port()).isEqualTo(9002);
        assertThat(loader().load(Map.of("PARLEY_PORT", "9002"), portFlag(9003)).port()).isEqualTo(9003);
        // Settings no higher layer touches keep the value of the layer below.
        ParleyConfig config = loader().load(Map.of("PARLEY_PORT", "9002"), portFlag(9003));
        assertThat(config.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(config.idleTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.heartbeatInterval()).isEqualTo(ParleyConfig.DEFAULTS.heartbeatInterval());
    }

    @Test
    void everyYamlKeyIsRead() throws IOException {
        Path flow = Files.writeString(dir.resolve("flow.yaml"), "steps: []");
        yaml("""
                port: 7000
                bind_address: 0.0.0.0
                data_dir: /var/lib/parley
                demo_connector: {token: tok-1, host: example.com}
                heartbeat_interval_seconds: 15
                idle_timeout_seconds: 5m
                session_inactivity_timeout_seconds: 900
                ended_session_retention_days: 7
                access_token_lifetime_seconds: 3600
                max_connections_per_session: 4
                max_text_chars: 2000
                rate_limits:
                  session_messages: {per_second: 5, burst: 10}
                  http: {per_second: 0.5, burst: 3}
                agent:
                  flow_file: %s
                  stream_chunk_delay_ms: 0
                """.formatted(flow));

        ParleyConfig c = load(Map.of());

        assertThat(c.port()).isEqualTo(7000);
        assertThat(c.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/parley"));
        assertThat(c.demoConnectorToken()).isEqualTo("tok-1");
        assertThat(c.demoConnectorHost()).isEqualTo("example.com");
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.idleTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.sessionInactivityTimeout()).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.endedSessionRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(c.accessTokenLifetime()).isEqualTo(Duration.ofHours(1));
        assertThat(c.maxConnectionsPerSession()).isEqualTo(4);
        assertThat(c.maxTextChars()).isEqualTo(2000);
        assertThat(c.sessionMessageRate()).isEqualTo(new RateLimit(5, 10));
        assertThat(c.httpRate()).isEqualTo(new RateLimit(0.5, 3));
        assertThat(c.flowFile()).isEqualTo(flow);
        assertThat(c.streamChunkDelay()).isZero();
    }

    @Test
    void partialRateLimitKeepsTheOtherDefault() throws IOException {
        yaml("rate_limits:\n  http: {burst: 99}\n");

        assertThat(load(Map.of()).httpRate()).isEqualTo(new RateLimit(ParleyConfig.DEFAULTS.httpRate().perSecond(), 99));
    }

    @Test
    void handshakeFailureBudgetsAreReadFromRateLimitsAndDefaultToTenPerTokenAndSixtyPerAddress() throws IOException {
        assertThat(load(Map.of()).handshakeFailures()).isEqualTo(new ParleyConfig.HandshakeFailureLimits(
                new RateLimit(1, 60), new RateLimit(1.0 / 6, 10)));

        yaml("rate_limits:\n  handshake_failures_per_address: {per_second: 2, burst: 200}\n"
                + "  handshake_failures_per_token: {burst: 4}\n");

        assertThat(load(Map.of()).handshakeFailures()).isEqualTo(new ParleyConfig.HandshakeFailureLimits(
                new RateLimit(2, 200), new RateLimit(1.0 / 6, 4)));

        yaml("rate_limits:\n  handshake_failures_per_token: {per_second: 0}\n");
        assertThatThrownBy(() -> load(Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("rate_limits.handshake_failures_per_token.per_second must be positive");
    }

    @Test
    void httpTimeoutsAreReadFromYamlAndDefaultTo10And60Seconds() throws IOException {
        assertThat(ParleyConfig.DEFAULTS.httpTimeouts())
                .isEqualTo(new ParleyConfig.HttpTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(60)));
        yaml("http:\n  request_timeout_seconds: 5\n  keep_alive_idle_seconds: 30s\n");

        assertThat(load(Map.of()).httpTimeouts())
                .isEqualTo(new ParleyConfig.HttpTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30)));
    }

    @Test
    void aZeroHttpRequestTimeoutIsRefused() throws IOException {
        yaml("http:\n  request_timeout_seconds: 0\n");

        assertThatThrownBy(() -> load(Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.request_timeout_seconds");
    }

    @Test
    void everyEnvironmentVariableIsRead() throws IOException {
        Path flow = Files.writeString(dir.resolve("flow.yaml"), "steps: []");
        Map<String, String> env = Map.of(
                "PARLEY_PORT", "7001", "PARLEY_BIND", "::", "PARLEY_DATA_DIR", "/tmp/p",
                "PARLEY_DEMO_CONNECTOR_TOKEN", "tok-env", "PARLEY_DEMO_CONNECTOR_HOST", "env.example",
                "PARLEY_HEARTBEAT_INTERVAL", "20s", "PARLEY_IDLE_TIMEOUT", "2h",
                "PARLEY_SESSION_INACTIVITY_TIMEOUT", "500ms", "PARLEY_FLOW_FILE", flow.toString(),
                "PARLEY_JWT_SECRET", "x".repeat(32));

        ParleyConfig c = load(env);

        assertThat(c.port()).isEqualTo(7001);
        assertThat(c.bindAddress()).isEqualTo("::");
        assertThat(c.dataDir()).isEqualTo(Path.of("/tmp/p"));
        assertThat(c.demoConnectorToken()).isEqualTo("tok-env");
        assertThat(c.demoConnectorHost()).isEqualTo("env.example");
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.idleTimeout()).isEqualTo(Duration.ofHours(2));
        assertThat(c.sessionInactivityTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.flowFile()).isEqualTo(flow);
        assertThat(c.jwtSecret()).isEqualTo("x".repeat(32).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void everyFlagIsApplied() throws IOException {
        Path flow = Files.writeString(dir.resolve("flow.yaml"), "steps: []");
        ConfigOverrides flags = new ConfigOverrides(0, "0.0.0.0", Path.of("d"), null, "tok-flag", "flag.example",
                false, Duration.ofSeconds(5), Duration.ofSeconds(6), Duration.ofSeconds(7), flow);

        ParleyConfig c = loader().load(Map.of(), flags);

        assertThat(c.port()).isZero();
        assertThat(c.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(c.dataDir()).isEqualTo(Path.of("d"));
        assertThat(c.demoConnectorToken()).isEqualTo("tok-flag");
        assertThat(c.demoConnectorHost()).isEqualTo("flag.example");
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.idleTimeout()).isEqualTo(Duration.ofSeconds(6));
        assertThat(c.sessionInactivityTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(c.flowFile()).isEqualTo(flow);
    }

    @Test
    void emptyEnvironmentVariablesCountAsUnset() {
        assertThat(load(Map.of("PARLEY_PORT", "", "PARLEY_IDLE_TIMEOUT", " ")).port()).isEqualTo(8080);
    }

    @Test
    void demoConnectorIsDisabledByEmptyTokenInAnyLayerOrByTheFlag() throws IOException {
        assertThat(load(Map.of("PARLEY_DEMO_CONNECTOR_TOKEN", "")).demoConnectorToken()).isNull();
        ConfigOverrides noDemo = new ConfigOverrides(null, null, null, null, null, null, true, null, null, null, null);
        assertThat(loader().load(Map.of("PARLEY_DEMO_CONNECTOR_TOKEN", "tok"), noDemo).demoConnectorToken()).isNull();
        ConfigOverrides emptyFlag = new ConfigOverrides(null, null, null, null, "", null, false, null, null, null, null);
        assertThat(loader().load(Map.of(), emptyFlag).demoConnectorToken()).isNull();
        yaml("demo_connector:\n  token: ''\n");
        assertThat(load(Map.of()).demoConnectorToken()).isNull();
    }

    @Test
    void configFileIsTakenFromFlagThenEnvironmentThenWorkingDirectory() throws IOException {
        yaml("port: 1111\n");
        Path envFile = Files.writeString(dir.resolve("env.yaml"), "port: 2222\n");
        Path flagFile = Files.writeString(dir.resolve("flag.yaml"), "port: 3333\n");
        ConfigOverrides configFlag = new ConfigOverrides(null, null, null, flagFile, null, null, false, null, null, null, null);

        assertThat(load(Map.of()).port()).isEqualTo(1111);
        assertThat(load(Map.of("PARLEY_CONFIG", envFile.toString())).port()).isEqualTo(2222);
        assertThat(loader().load(Map.of("PARLEY_CONFIG", envFile.toString()), configFlag).port()).isEqualTo(3333);
    }

    @Test
    void explicitlyNamedConfigFileMustExist() {
        assertThatThrownBy(() -> load(Map.of("PARLEY_CONFIG", dir.resolve("nope.yaml").toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config file not found").hasMessageContaining("nope.yaml");
    }

    @Test
    void emptyFileChangesNothing() throws IOException {
        yaml("");

        assertThat(load(Map.of())).usingRecursiveComparison().isEqualTo(ParleyConfig.DEFAULTS);
    }

    @Test
    void unknownKeyIsAnErrorNamingTheKey() throws IOException {
        yaml("rate_limits:\n  http:\n    per_secnd: 3\n");

        assertThatThrownBy(() -> load(Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key 'rate_limits.http.per_secnd'");
    }

    @Test
    void unknownTopLevelKeyIsAnErrorNamingTheKey() throws IOException {
        yaml("prot: 80\n");

        assertThatThrownBy(() -> load(Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("unknown key 'prot'");
    }

    @Test
    void wrongValueTypeInFileNamesTheKey() throws IOException {
        yaml("port: eighty\n");

        assertThatThrownBy(() -> load(Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'port' must be an integer");
    }

    @Test
    void malformedYamlIsAConfigError() throws IOException {
        yaml("port: [1,\n");

        assertThatThrownBy(() -> load(Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("parley.yaml");
    }

    @Test
    void nonNumericPortInEnvironmentNamesTheVariable() {
        assertThatThrownBy(() -> load(Map.of("PARLEY_PORT", "http")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("PARLEY_PORT");
    }

    @Test
    void portOutsideTheValidRangeIsRefused() {
        assertThatThrownBy(() -> load(Map.of("PARLEY_PORT", "65536"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("port must be between 0 and 65535");
        assertThatThrownBy(() -> load(Map.of("PARLEY_PORT", "-1"))).isInstanceOf(ConfigException.class);
    }

    @Test
    void zeroOrBadDurationsAreRefused() {
        assertThatThrownBy(() -> load(Map.of("PARLEY_IDLE_TIMEOUT", "0s"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("idle timeout must be positive");
        assertThatThrownBy(() -> load(Map.of("PARLEY_HEARTBEAT_INTERVAL", "0"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("heartbeat interval must be positive");
        assertThatThrownBy(() -> load(Map.of("PARLEY_SESSION_INACTIVITY_TIMEOUT", "soon"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("PARLEY_SESSION_INACTIVITY_TIMEOUT");
    }

    @Test
    void nonPositiveLimitsInFileAreRefused() throws IOException {
        yaml("rate_limits:\n  session_messages: {per_second: 0}\n");
        assertThatThrownBy(() -> load(Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("rate_limits.session_messages.per_second must be positive");

        yaml("max_connections_per_session: 0\n");
        assertThatThrownBy(() -> load(Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("max_connections_per_session");

        yaml("ended_session_retention_days: 0\n");
        assertThatThrownBy(() -> load(Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("ended session retention must be positive");
    }

    @Test
    void missingFlowFileIsRefused() {
        assertThatThrownBy(() -> load(Map.of("PARLEY_FLOW_FILE", dir.resolve("missing.yaml").toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("flow file not found");
    }

    @Test
    void shortJwtSecretIsRefused() {
        assertThatThrownBy(() -> load(Map.of("PARLEY_JWT_SECRET", "too-short")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("PARLEY_JWT_SECRET");
    }

    @Test
    void demoConnectorWithoutHostIsRefused() {
        Map<String, String> env = new HashMap<>();
        env.put("PARLEY_DEMO_CONNECTOR_TOKEN", "t");
        ConfigOverrides blankHost = new ConfigOverrides(null, null, null, null, null, " ", false, null, null, null, null);
        assertThatThrownBy(() -> loader().load(env, blankHost))
                .isInstanceOf(ConfigException.class).hasMessageContaining("demo connector needs a host");
    }

    @Test
    void blankDemoHostInTheFileIsRefused() throws IOException {
        yaml("demo_connector: {token: t, host: ''}\n");

        assertThatThrownBy(() -> load(Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("demo connector needs a host");
    }

    @Test
    void contradictoryDemoFlagsAreRefused() {
        ConfigOverrides both = new ConfigOverrides(null, null, null, null, "tok", null, true, null, null, null, null);

        assertThatThrownBy(() -> loader().load(Map.of(), both)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("--no-demo-connector");
    }

    // ---- desk -------------------------------------------------------------------------------

    private static ConfigOverrides noDeskFlag() {
        return new ConfigOverrides(null, null, null, null, null, null, false, null, null, null, null, true);
    }

    @Test
    void deskSectionSetsQueuesTimersAndDemoAgent() throws IOException {
        yaml("""
                desk:
                  enabled: true
                  queues:
                    - {name: billing, assignment: manual, max_wait_seconds: 120}
                    - {name: tech}
                  requeue_grace_seconds: 30
                  status_period_seconds: 5
                  demo_agent: {name: Tom, password: secret-pw}
                """);

        DeskConfig desk = load(Map.of()).desk();

        assertThat(desk.enabled()).isTrue();
        assertThat(desk.queues()).containsExactly(
                new dev.parley.server.desk.QueueSettings("billing", dev.parley.server.desk.QueueSettings.Assignment.MANUAL,
                        Duration.ofMinutes(2), true),
                dev.parley.server.desk.QueueSettings.auto("tech", Duration.ofMinutes(10)));
        assertThat(desk.requeueGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(desk.statusPeriod()).isEqualTo(Duration.ofSeconds(5));
        assertThat(desk.demoAgentName()).isEqualTo("Tom");
        assertThat(desk.demoAgentPassword()).isEqualTo("secret-pw");
    }

    @Test
    void deskIsOnByDefaultAndFileEnvironmentAndFlagTurnItOffInPrecedence() throws IOException {
        assertThat(load(Map.of()).desk().enabled()).isTrue();
        yaml("desk: {enabled: false}\n");
        assertThat(load(Map.of()).desk().enabled()).isFalse();
        assertThat(load(Map.of("PARLEY_DESK_ENABLED", "true")).desk().enabled()).isTrue();
        assertThat(loader().load(Map.of("PARLEY_DESK_ENABLED", "true"), noDeskFlag()).desk().enabled()).isFalse();
        // Turning the desk off keeps its other settings.
        assertThat(loader().load(Map.of(), noDeskFlag()).desk().queues()).isEqualTo(DeskConfig.DEFAULTS.queues());
    }

    @Test
    void deskLoginSectionSetsTheThrottleAndTheBcryptPoolAndKeepsDefaultsForKeysLeftOut() throws IOException {
        yaml("""
                desk:
                  login:
                    failures_per_name_and_address: 3
                    failures_per_address: 10
                    lockout_seconds: 600
                    bcrypt_threads: 1
                """);

        dev.parley.server.desk.LoginLimits login = load(Map.of()).desk().login();

        assertThat(login).isEqualTo(new dev.parley.server.desk.LoginLimits(3, 50, 10, Duration.ofMinutes(10), 30, 1, 32));
        // Turning the desk off keeps them too.
        assertThat(loader().load(Map.of(), noDeskFlag()).desk().login()).isEqualTo(login);
    }

    @Test
    void deskLoginLimitsBelowOneAreRefusedNamingTheKey() throws IOException {
        yaml("desk:\n  login: {bcrypt_queue: 0}\n");

        assertThatThrownBy(() -> load(Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("desk.login.bcrypt_queue must be at least 1");
    }

    @Test
    void deskEnabledEnvironmentVariableMustBeTrueOrFalse() {
        assertThatThrownBy(() -> load(Map.of("PARLEY_DESK_ENABLED", "yes")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("PARLEY_DESK_ENABLED");
    }

    @Test
    void duplicateQueueNamesAreRefused() throws IOException {
        yaml("desk:\n  queues: [{name: support}, {name: support}]\n");

        assertThatThrownBy(() -> load(Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("duplicate queue name 'support'");
    }

    @Test
    void nonPositiveDeskDurationsAreRefused() throws IOException {
        yaml("desk:\n  requeue_grace_seconds: 0\n");
        assertThatThrownBy(() -> load(Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("desk.requeue_grace_seconds");

        yaml("desk:\n  queues: [{name: support, max_wait_seconds: -5}]\n");
        assertThatThrownBy(() -> load(Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("desk.queues.support.max_wait_seconds");
    }

    @Test
    void unknownDeskKeysAndBadAssignmentsAreRefused() throws IOException {
        yaml("desk:\n  requeue_grace: 5\n");
        assertThatThrownBy(() -> load(Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key 'desk.requeue_grace'");

        yaml("desk:\n  queues: [{name: support, priority: 1}]\n");
        assertThatThrownBy(() -> load(Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key 'desk.queues[0].priority'");

        yaml("desk:\n  queues: [{name: support, assignment: random}]\n");
        assertThatThrownBy(() -> load(Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("must be auto or manual");
    }

    @Test
    void anEnabledDeskNeedsAQueue() throws IOException {
        yaml("desk:\n  queues: []\n");
        assertThatThrownBy(() -> load(Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("has no queue");

        yaml("desk:\n  enabled: false\n  queues: []\n");
        assertThat(load(Map.of()).desk().enabled()).isFalse();
    }
}
