package dev.parley.server.desk;

import java.security.SecureRandom;
import java.util.Objects;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Live-agent password hashes: bcrypt ({@code $2y$}) through BouncyCastle's {@link OpenBSDBCrypt}.
 * The comparison inside {@link OpenBSDBCrypt#checkPassword(String, char[])} is constant-time.
 * Thread-safe. Not final only so tests can count checks.
 */
public class Passwords {
    /** The cost used in production: 2^12 rounds, a few hundred milliseconds on a small host. */
    public static final int PRODUCTION_COST = 12;
    private static final int SALT_BYTES = 16;

    private final int cost;
    private final SecureRandom random;

    /** @param cost bcrypt log2 rounds, 4..31; tests use 4 */
    public Passwords(int cost, SecureRandom random) {
        if (cost < 4 || cost > 31) {
            throw new IllegalArgumentException("bcrypt cost must be between 4 and 31, got " + cost);
        }
        this.cost = cost;
        this.random = Objects.requireNonNull(random);
    }

    public static Passwords production() {
        return new Passwords(PRODUCTION_COST, new SecureRandom());
    }

    /** A new salted hash of the password; refuses an empty one. */
    public String hash(char[] password) {
        if (password == null || password.length == 0) {
            throw new IllegalArgumentException("password must not be empty");
        }
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return OpenBSDBCrypt.generate("2y", password, salt, cost);
    }

    /** True when the password matches the hash; false for a malformed hash or an empty password. */
    public boolean verify(char[] password, String hash) {
        if (password == null || password.length == 0 || hash == null) {
            return false;
        }
        try {
            return OpenBSDBCrypt.checkPassword(hash, password);
        } catch (RuntimeException e) {
            return false; // not a bcrypt string we understand
        }
    }
}
