package dev.parley.server.desk;

import dev.parley.server.auth.RateDecision;
import dev.parley.server.auth.Strikes;
import java.time.Clock;

/**
 * Who may attempt a desk log-in now ({@link LoginLimits}). Asked before any bcrypt work, so a
 * refused attempt costs nothing. Three counts, each with its own lockout: per (name, address), per
 * name, per address.
 *
 * <p>Every attempt is counted as a failure when it begins, and taken back when it succeeds: a burst
 * of parallel guesses is counted at once, not after bcrypt has run for each of them. A success for
 * a name clears that name's counts (for the pair and across addresses) but only refunds its own
 * attempt on the address count, so an attacker holding one valid account cannot use it to wipe the
 * failures of the names it sprays.
 *
 * <p>Thread-safe (each {@link Strikes} is).
 */
public final class LoginThrottle {
    private final Strikes<NameAt> perNameAndAddress;
    private final Strikes<String> perName;
    private final Strikes<String> perAddress;

    /** Names are compared as the store looks them up (stripped, case-sensitive). */
    private record NameAt(String name, String address) {
    }

    public LoginThrottle(LoginLimits limits, int maxKeys, Clock clock) {
        this.perNameAndAddress = new Strikes<>(limits.failuresPerNameAndAddress(), limits.lockout(), limits.lockout(),
                maxKeys, clock);
        this.perName = new Strikes<>(limits.failuresPerName(), limits.lockout(), limits.lockout(), maxKeys, clock);
        this.perAddress = new Strikes<>(limits.failuresPerAddress(), limits.lockout(), limits.lockout(), maxKeys, clock);
    }

    /**
     * Allowed (and counted as a failure until {@link #succeeded}) or refused with the longest
     * remaining lockout among the three counts.
     */
    public synchronized RateDecision begin(String name, String address) {
        NameAt pair = new NameAt(key(name), address);
        long retryAfter = Math.max(seconds(perNameAndAddress.check(pair)),
                Math.max(seconds(perName.check(pair.name())), seconds(perAddress.check(address))));
        if (retryAfter > 0) {
            return new RateDecision.Limited(retryAfter);
        }
        perNameAndAddress.strike(pair);
        perName.strike(pair.name());
        perAddress.strike(address);
        return RateDecision.ALLOWED;
    }

    /** The attempt begun for {@code name} from {@code address} had the right password. */
    public synchronized void succeeded(String name, String address) {
        NameAt pair = new NameAt(key(name), address);
        perNameAndAddress.clear(pair);
        perName.clear(pair.name());
        perAddress.refund(address);
    }

    /** The attempt begun never reached a password check (the pool was full): it does not count. */
    public synchronized void abandoned(String name, String address) {
        NameAt pair = new NameAt(key(name), address);
        perNameAndAddress.refund(pair);
        perName.refund(pair.name());
        perAddress.refund(address);
    }

    /** Drops counts whose window and lockout are over (call it now and then). */
    public void evictIdle() {
        perNameAndAddress.evictIdle();
        perName.evictIdle();
        perAddress.evictIdle();
    }

    private static String key(String name) {
        return name == null ? "" : name.strip();
    }

    private static long seconds(RateDecision decision) {
        return decision instanceof RateDecision.Limited limited ? limited.retryAfterSeconds() : 0;
    }
}
