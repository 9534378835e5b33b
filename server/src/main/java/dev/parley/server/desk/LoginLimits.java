package dev.parley.server.desk;

import java.time.Duration;

/**
 * How hard desk log-ins and desk tokens are throttled ({@code desk.login} in parley.yaml). Every
 * count runs in a window of {@code lockout} opened by the first failure; reaching a count locks
 * that key for {@code lockout}, even against the right password.
 *
 * @param failuresPerNameAndAddress failures of one agent name from one client address: the tight
 *     limit that stops one client guessing one agent's password
 * @param failuresPerName           failures of one agent name from all addresses together: loose,
 *     because reaching it locks the real agent out too (only a spread-out attacker gets there)
 * @param failuresPerAddress        failures from one client address over all names (spraying)
 * @param lockout                   the window and the lockout
 * @param badTokensPerMinute        invalid desk tokens one client address may present per minute
 *     (REST bearer and {@code /desk/ws}) before its token checks are answered 429 for a minute
 * @param bcryptThreads             threads that check passwords; the only place bcrypt runs
 * @param bcryptQueue               log-ins waiting for those threads; beyond it, 503 at once
 */
public record LoginLimits(
        int failuresPerNameAndAddress,
        int failuresPerName,
        int failuresPerAddress,
        Duration lockout,
        int badTokensPerMinute,
        int bcryptThreads,
        int bcryptQueue) {

    public static final LoginLimits DEFAULTS = new LoginLimits(5, 50, 20, Duration.ofMinutes(15), 30, 2, 32);

    public LoginLimits {
        atLeastOne(failuresPerNameAndAddress, "failures_per_name_and_address");
        atLeastOne(failuresPerName, "failures_per_name");
        atLeastOne(failuresPerAddress, "failures_per_address");
        atLeastOne(badTokensPerMinute, "bad_tokens_per_minute");
        atLeastOne(bcryptThreads, "bcrypt_threads");
        atLeastOne(bcryptQueue, "bcrypt_queue");
        if (lockout == null || lockout.isNegative() || lockout.isZero()) {
            throw new IllegalArgumentException("desk.login.lockout_seconds must be positive");
        }
    }

    private static void atLeastOne(int value, String key) {
        if (value < 1) {
            throw new IllegalArgumentException("desk.login." + key + " must be at least 1, got " + value);
        }
    }
}
