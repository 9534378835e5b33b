package dev.parley.server.operator;

import dev.parley.server.store.ApiKey;
import dev.parley.server.store.OperatorStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Operator API keys: issued by the admin CLI (often in another process than the server), checked
 * by the server on every operator request.
 *
 * <p>A key is {@code pok_} + 32 random bytes (base64url), so it cannot be guessed; only its keyed
 * hash is stored. Checks never touch the store: {@link #refresh()} re-reads the (small) set of
 * keys in force every {@link #POLL_PERIOD}, as connector revocations are polled, so a key issued or
 * revoked by the CLI counts on a running node within about a second.
 *
 * <p>{@code active} is written by the refreshing thread (the scheduler) and read by any thread.
 */
public final class OperatorKeys {
    /** How often the store is asked; a revoked key is refused within about this long. */
    public static final Duration POLL_PERIOD = Duration.ofSeconds(1);
    private static final String KEY_PREFIX = "pok_";

    private final OperatorStore store;
    private final OperatorKeyHasher hasher;
    private final Clock clock;
    /** Unknown keys re-read the store at most this often, however many addresses send them. */
    private static final Duration LOOKUP_SPACING = Duration.ofMillis(250);
    private volatile Map<String, ApiKey> active = Map.of();
    private volatile java.time.Instant lastLookUp = java.time.Instant.MIN;

    public OperatorKeys(OperatorStore store, OperatorKeyHasher hasher, Clock clock) {
        this.store = store;
        this.hasher = hasher;
        this.clock = clock;
    }

    /** A key as issued: the stored record, and the key itself, to be shown once. */
    public record Issued(ApiKey record, String key) {
    }

    /** Creates a key named {@code name}; the returned plain key is never stored. Blocks. */
    public Issued issue(String name, SecureRandom random) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String key = KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        byte[] id = new byte[8];
        random.nextBytes(id);
        ApiKey record = new ApiKey("opk_" + HexFormat.of().formatHex(id), name, hasher.hash(key), clock.instant(), null);
        store.createApiKey(record);
        return new Issued(record, key);
    }

    /** The key in force that {@code presented} is, as of the last refresh. Never blocks. */
    public Optional<ApiKey> authenticate(String presented) {
        if (presented == null || !presented.startsWith(KEY_PREFIX) || presented.length() > 128) {
            return Optional.empty(); // not one of ours: no hashing for arbitrary input
        }
        return Optional.ofNullable(active.get(hasher.hash(presented)));
    }

    /** Whether {@code presented} has the shape of an operator key (worth a store read when unknown). */
    public boolean looksLikeKey(String presented) {
        return presented != null && presented.startsWith(KEY_PREFIX) && presented.length() <= 128;
    }

    /**
     * A key issued since the last refresh is usable at once: an unknown key of the right shape
     * makes the node re-read the keys before refusing it. Blocks on the store; callers run it on a
     * worker, and only after the address's failure budget was checked, so guesses cannot turn it
     * into a flood of reads; and however many addresses send unknown keys, the store is re-read at most
     * every 250 ms.
     */
    public Optional<ApiKey> lookUp(String presented) {
        if (!looksLikeKey(presented)) {
            return Optional.empty();
        }
        java.time.Instant now = clock.instant();
        if (!now.isBefore(lastLookUp.plus(LOOKUP_SPACING))) {
            lastLookUp = now;
            refresh();
        }
        return authenticate(presented);
    }

    /** Re-reads the keys in force. Blocks on the store; call from the scheduler, once before the node listens. */
    public void refresh() {
        active = Map.copyOf(store.activeApiKeysByHash(clock.instant()));
    }
}
