package dev.parley.server.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds the {@link ParleyConfig} from, in increasing precedence: {@link ParleyConfig#DEFAULTS}, the
 * YAML file, {@code PARLEY_*} environment variables, command-line flags. Then validates the result.
 *
 * <p>The YAML file is {@code --config}, else {@code PARLEY_CONFIG}, else {@code parley.yaml} in the
 * working directory if it exists; a file named explicitly must exist. Empty environment variables
 * count as unset, except {@code PARLEY_DEMO_CONNECTOR_TOKEN}, where empty turns the demo connector off.
 */
public final class ConfigLoader {
    public static final String DEFAULT_FILE_NAME = "parley.yaml";

    /** The environment variables read, the names operators see in docs and errors. */
    public static final String ENV_PORT = "PARLEY_PORT";
    public static final String ENV_BIND = "PARLEY_BIND";
    public static final String ENV_DATA_DIR = "PARLEY_DATA_DIR";
    public static final String ENV_CONFIG = "PARLEY_CONFIG";
    public static final String ENV_DEMO_TOKEN = "PARLEY_DEMO_CONNECTOR_TOKEN";
    public static final String ENV_DEMO_HOST = "PARLEY_DEMO_CONNECTOR_HOST";
    public static final String ENV_HEARTBEAT = "PARLEY_HEARTBEAT_INTERVAL";
    public static final String ENV_IDLE_TIMEOUT = "PARLEY_IDLE_TIMEOUT";
    public static final String ENV_INACTIVITY_TIMEOUT = "PARLEY_SESSION_INACTIVITY_TIMEOUT";
    public static final String ENV_FLOW_FILE = "PARLEY_FLOW_FILE";
    public static final String ENV_JWT_SECRET = "PARLEY_JWT_SECRET";
    public static final String ENV_DESK_ENABLED = "PARLEY_DESK_ENABLED";
    public static final String ENV_JWT_SECRET_FILE = "PARLEY_JWT_SECRET_FILE";
    /** A file holding the secret as URL-safe base64, as {@code <data_dir>/jwt.secret} does. */
    public static final String ENV_JWT_SECRET_BASE64_FILE = "PARLEY_JWT_SECRET_BASE64_FILE";
    public static final String ENV_STORE_KIND = "PARLEY_STORE_KIND";
    public static final String ENV_STORE_URL = "PARLEY_STORE_URL";
    public static final String ENV_STORE_USER = "PARLEY_STORE_USER";
    public static final String ENV_STORE_PASSWORD_FILE = "PARLEY_STORE_PASSWORD_FILE";
    public static final String ENV_STORE_POOL_SIZE = "PARLEY_STORE_POOL_SIZE";
    public static final String ENV_STORE_MIGRATE_ON_START = "PARLEY_STORE_MIGRATE_ON_START";
    public static final String ENV_STORE_LEASE_TTL = "PARLEY_STORE_LEASE_TTL_SECONDS";
    public static final String ENV_STORE_LEASE_RENEW = "PARLEY_STORE_LEASE_RENEW_SECONDS";
    public static final String ENV_FANOUT_KIND = "PARLEY_FANOUT_KIND";
    public static final String ENV_FANOUT_URL = "PARLEY_FANOUT_URL";

    private final Path defaultFile;

    /** @param defaultFile the file read when neither flag nor environment names one, if it exists */
    public ConfigLoader(Path defaultFile) {
        this.defaultFile = defaultFile;
    }

    /** A loader that falls back to {@code ./parley.yaml}. */
    public static ConfigLoader standard() {
        return new ConfigLoader(Path.of(DEFAULT_FILE_NAME));
    }

    /**
     * @param env the environment, {@code System.getenv()} in production
     * @throws ConfigException naming the offending setting
     */
    public ParleyConfig load(Map<String, String> env, ConfigOverrides flags) {
        Settings s = new Settings(ParleyConfig.DEFAULTS);
        Path file = configFile(env, flags);
        if (file != null) {
            new YamlConfigReader(file).applyTo(s);
        }
        applyEnv(env, s);
        applyFlags(flags, s);
        s.validate();
        s.resolveAgents(env);
        s.resolveStore(env);
        return s.toConfig();
    }

    private Path configFile(Map<String, String> env, ConfigOverrides flags) {
        Path named = flags.configFile() != null ? flags.configFile()
                : isSet(env.get(ENV_CONFIG)) ? Path.of(env.get(ENV_CONFIG).strip()) : null;
        if (named != null) {
            if (!Files.isRegularFile(named)) {
                throw new ConfigException("config file not found: " + named);
            }
            return named;
        }
        return Files.isRegularFile(defaultFile) ? defaultFile : null;
    }

    private static void applyEnv(Map<String, String> env, Settings s) {
        ifSet(env, ENV_PORT, v -> s.port = integer(v, ENV_PORT));
        ifSet(env, ENV_BIND, v -> s.bindAddress = v);
        ifSet(env, ENV_DATA_DIR, v -> s.dataDir = Path.of(v));
        if (env.containsKey(ENV_DEMO_TOKEN)) {
            s.demoToken(env.get(ENV_DEMO_TOKEN));
        }
        ifSet(env, ENV_DEMO_HOST, v -> s.demoConnectorHost = v);
        ifSet(env, ENV_HEARTBEAT, v -> s.heartbeatInterval = Durations.parse(v, ENV_HEARTBEAT));
        ifSet(env, ENV_IDLE_TIMEOUT, v -> s.idleTimeout = Durations.parse(v, ENV_IDLE_TIMEOUT));
        ifSet(env, ENV_INACTIVITY_TIMEOUT, v -> s.sessionInactivityTimeout = Durations.parse(v, ENV_INACTIVITY_TIMEOUT));
        ifSet(env, ENV_FLOW_FILE, v -> s.flowFile = Path.of(v));
        // Used as raw UTF-8 bytes: any string of 32+ bytes works, e.g. `openssl rand -base64 32`.
        ifSet(env, ENV_JWT_SECRET, v -> s.jwtSecret = v.getBytes(StandardCharsets.UTF_8));
        ifSet(env, ENV_DESK_ENABLED, v -> s.deskEnabled(bool(v, ENV_DESK_ENABLED)));
        if (java.util.stream.Stream.of(ENV_JWT_SECRET, ENV_JWT_SECRET_FILE, ENV_JWT_SECRET_BASE64_FILE)
                .filter(name -> isSet(env.get(name))).count() > 1) {
            throw new ConfigException("set one of " + ENV_JWT_SECRET + ", " + ENV_JWT_SECRET_FILE + " or "
                    + ENV_JWT_SECRET_BASE64_FILE + ", not several");
        }
        ifSet(env, ENV_JWT_SECRET_FILE, v -> s.jwtSecretFromFile(Path.of(v)));
        ifSet(env, ENV_JWT_SECRET_BASE64_FILE, v -> s.jwtSecretFromBase64File(Path.of(v)));
        ifSet(env, ENV_STORE_KIND, v -> s.store = s.store.withKind(StoreConfig.Kind.parse(v).orElseThrow(() ->
                new ConfigException(ENV_STORE_KIND + " must be sqlite or postgres, got '" + v + "'"))));
        ifSet(env, ENV_STORE_URL, v -> s.store = s.store.withUrl(v));
        ifSet(env, ENV_STORE_USER, v -> s.store = s.store.withUser(v));
        ifSet(env, ENV_STORE_PASSWORD_FILE, v -> s.store = s.store.withPasswordSources(null, Path.of(v)));
        ifSet(env, ENV_STORE_POOL_SIZE, v -> s.store = s.store.withPoolSize(integer(v, ENV_STORE_POOL_SIZE)));
        ifSet(env, ENV_STORE_MIGRATE_ON_START, v -> s.store = s.store.withMigrateOnStart(bool(v, ENV_STORE_MIGRATE_ON_START)));
        // Plain seconds like the YAML keys (the duration syntax, e.g. 1500ms, works too); the check that
        // renewal is shorter than the ttl runs after all sources are applied.
        ifSet(env, ENV_STORE_LEASE_TTL, v -> s.leases = new ParleyConfig.Leases(
                Durations.parse(v, ENV_STORE_LEASE_TTL), s.leases.renewPeriod()));
        ifSet(env, ENV_STORE_LEASE_RENEW, v -> s.leases = new ParleyConfig.Leases(
                s.leases.ttl(), Durations.parse(v, ENV_STORE_LEASE_RENEW)));
        ifSet(env, ENV_FANOUT_KIND, v -> s.fanOut = s.fanOut.withKind(FanOutConfig.Kind.parse(v).orElseThrow(() ->
                new ConfigException(ENV_FANOUT_KIND + " must be memory or redis, got '" + v + "'"))));
        ifSet(env, ENV_FANOUT_URL, v -> s.fanOut = s.fanOut.withUrl(v.strip()));
    }

    private static void applyFlags(ConfigOverrides f, Settings s) {
        if (f.noDemoConnector() && f.demoConnectorToken() != null) {
            throw new ConfigException("--no-demo-connector and --demo-connector-token contradict each other");
        }
        if (f.port() != null) s.port = f.port();
        if (f.bindAddress() != null) s.bindAddress = f.bindAddress();
        if (f.dataDir() != null) s.dataDir = f.dataDir();
        if (f.demoConnectorToken() != null) s.demoToken(f.demoConnectorToken());
        if (f.noDemoConnector()) s.demoToken(null);
        if (f.demoConnectorHost() != null) s.demoConnectorHost = f.demoConnectorHost();
        if (f.heartbeatInterval() != null) s.heartbeatInterval = f.heartbeatInterval();
        if (f.idleTimeout() != null) s.idleTimeout = f.idleTimeout();
        if (f.sessionInactivityTimeout() != null) s.sessionInactivityTimeout = f.sessionInactivityTimeout();
        if (f.flowFile() != null) s.flowFile = f.flowFile();
        if (f.noDesk()) s.deskEnabled(false);
    }

    private static void ifSet(Map<String, String> env, String name, Consumer<String> apply) {
        String value = env.get(name);
        if (isSet(value)) {
            apply.accept(value.strip());
        }
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    private static boolean bool(String value, String name) {
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(name + " must be true or false, got '" + value + "'");
        };
    }

    private static int integer(String value, String name) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be an integer, got '" + value + "'");
        }
    }
}
