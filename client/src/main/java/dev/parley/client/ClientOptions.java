package dev.parley.client;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a {@link ParleyClient} needs. Immutable; start from {@link #DEFAULTS} through
 * {@link #builder()}. Numbers follow PROTOCOL.md §0.
 *
 * @param baseUrl               server root, {@code http(s)://host:port}; the socket uses {@code ws(s)://}
 * @param connectorToken        secret exchanged for access tokens (keep it on a trusted backend)
 * @param host                  the host or app namespace registered with the connector ({@code X-Host})
 * @param platform              reported at session creation ({@code web}, {@code ios}, ..., {@code custom})
 * @param streaming             ask for streamed AI replies
 * @param reconnectInitialDelay first back-off step (1 s)
 * @param reconnectMaxDelay     back-off cap (30 s)
 * @param reconnectJitter       each delay is randomised by up to this fraction either way (0.2)
 * @param maxReconnectAttempts  failed reconnects in a row before giving up: {@link #FROM_SESSION}
 *                              uses {@code capabilities.max_reconnect_attempts} (5 if unknown),
 *                              {@link #UNLIMITED} never gives up
 * @param receiptTimeout        wait for an echo; attempt {@code n} waits {@code n} times this (5 s)
 * @param maxResends            resends of an unechoed message before it fails (3)
 * @param tokenRenewalMargin    fetch a fresh access token this long before the current one expires
 * @param connectTimeout        for REST calls and the WebSocket handshake
 * @param clock                 reads token expiry
 * @param timers                schedules delayed work; {@code null} for a daemon thread owned by the client
 */
public record ClientOptions(
        URI baseUrl,
        String connectorToken,
        String host,
        String platform,
        boolean streaming,
        Duration reconnectInitialDelay,
        Duration reconnectMaxDelay,
        double reconnectJitter,
        int maxReconnectAttempts,
        Duration receiptTimeout,
        int maxResends,
        Duration tokenRenewalMargin,
        Duration connectTimeout,
        Clock clock,
        Timers timers) {

    /** {@link #maxReconnectAttempts()}: use the session's advertised budget. */
    public static final int FROM_SESSION = -1;
    /** {@link #maxReconnectAttempts()}: reconnect forever. */
    public static final int UNLIMITED = 0;

    public static final ClientOptions DEFAULTS = new ClientOptions(
            URI.create("http://localhost:8080"), null, "localhost", "custom", false,
            Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2, FROM_SESSION,
            Duration.ofSeconds(5), 3, Duration.ofMinutes(5), Duration.ofSeconds(10),
            Clock.systemUTC(), null);

    public ClientOptions {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(clock, "clock");
        requirePositive(reconnectInitialDelay, "reconnectInitialDelay");
        requirePositive(reconnectMaxDelay, "reconnectMaxDelay");
        requirePositive(receiptTimeout, "receiptTimeout");
        requirePositive(connectTimeout, "connectTimeout");
        Objects.requireNonNull(tokenRenewalMargin, "tokenRenewalMargin");
        if (reconnectJitter < 0 || reconnectJitter >= 1) {
            throw new IllegalArgumentException("reconnectJitter must be in [0, 1): " + reconnectJitter);
        }
        if (maxReconnectAttempts < FROM_SESSION || maxResends < 0) {
            throw new IllegalArgumentException("negative budget");
        }
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }

    public static Builder builder() {
        return new Builder(DEFAULTS);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Mutable, single-threaded builder; {@link #build()} validates. */
    public static final class Builder {
        private URI baseUrl;
        private String connectorToken;
        private String host;
        private String platform;
        private boolean streaming;
        private Duration reconnectInitialDelay;
        private Duration reconnectMaxDelay;
        private double reconnectJitter;
        private int maxReconnectAttempts;
        private Duration receiptTimeout;
        private int maxResends;
        private Duration tokenRenewalMargin;
        private Duration connectTimeout;
        private Clock clock;
        private Timers timers;

        private Builder(ClientOptions o) {
            baseUrl = o.baseUrl;
            connectorToken = o.connectorToken;
            host = o.host;
            platform = o.platform;
            streaming = o.streaming;
            reconnectInitialDelay = o.reconnectInitialDelay;
            reconnectMaxDelay = o.reconnectMaxDelay;
            reconnectJitter = o.reconnectJitter;
            maxReconnectAttempts = o.maxReconnectAttempts;
            receiptTimeout = o.receiptTimeout;
            maxResends = o.maxResends;
            tokenRenewalMargin = o.tokenRenewalMargin;
            connectTimeout = o.connectTimeout;
            clock = o.clock;
            timers = o.timers;
        }

        public Builder baseUrl(String value) {
            this.baseUrl = URI.create(value);
            return this;
        }

        public Builder connectorToken(String value) {
            this.connectorToken = value;
            return this;
        }

        public Builder host(String value) {
            this.host = value;
            return this;
        }

        public Builder platform(String value) {
            this.platform = value;
            return this;
        }

        public Builder streaming(boolean value) {
            this.streaming = value;
            return this;
        }

        public Builder reconnectBackoff(Duration initial, Duration max, double jitter) {
            this.reconnectInitialDelay = initial;
            this.reconnectMaxDelay = max;
            this.reconnectJitter = jitter;
            return this;
        }

        public Builder maxReconnectAttempts(int value) {
            this.maxReconnectAttempts = value;
            return this;
        }

        public Builder receipts(Duration timeout, int maxResends) {
            this.receiptTimeout = timeout;
            this.maxResends = maxResends;
            return this;
        }

        public Builder tokenRenewalMargin(Duration value) {
            this.tokenRenewalMargin = value;
            return this;
        }

        public Builder connectTimeout(Duration value) {
            this.connectTimeout = value;
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        public Builder timers(Timers value) {
            this.timers = value;
            return this;
        }

        public ClientOptions build() {
            return new ClientOptions(baseUrl, connectorToken, host, platform, streaming, reconnectInitialDelay,
                    reconnectMaxDelay, reconnectJitter, maxReconnectAttempts, receiptTimeout, maxResends,
                    tokenRenewalMargin, connectTimeout, clock, timers);
        }
    }
}
