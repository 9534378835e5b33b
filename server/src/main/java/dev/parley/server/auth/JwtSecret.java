package dev.parley.server.auth;

import dev.parley.server.config.ParleyConfig;
import dev.parley.server.datadir.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The HS256 key for access tokens. Kept in {@code <dataDir>/jwt.secret} (URL-safe base64 of 32
 * random bytes, mode 0600 where the file system is POSIX) so tokens stay valid across restarts,
 * unless the operator supplies one through {@code PARLEY_JWT_SECRET} (or {@code PARLEY_JWT_SECRET_FILE}),
 * which PostgreSQL mode requires. The connector-token hash key is
 * derived from it too ({@link ConnectorTokenHasher}), so replacing it invalidates connector tokens.
 */
public final class JwtSecret {
    public static final String FILE_NAME = "jwt.secret";

    private JwtSecret() {
    }

    /** The configured secret ({@code PARLEY_JWT_SECRET}) if there is one, else the data directory's. */
    public static byte[] forConfig(ParleyConfig config) {
        requireSharedIfClustered(config);
        return config.jwtSecret() != null ? config.jwtSecret().clone() : loadOrCreate(config.dataDir());
    }

    /**
     * Refuses PostgreSQL mode without a configured secret: several nodes share one database, and a
     * key made up by each node would split them (tokens of one node refused by the next).
     *
     * @throws IllegalStateException naming the settings to use
     */
    public static void requireSharedIfClustered(ParleyConfig config) {
        if (config.jwtSecret() == null && config.store().isPostgres()) {
            throw new IllegalStateException("store.kind postgres needs a secret shared by all nodes:"
                    + " set PARLEY_JWT_SECRET or PARLEY_JWT_SECRET_FILE (or PARLEY_JWT_SECRET_BASE64_FILE, a copy of an"
                    + " embedded node's <data_dir>/jwt.secret)");
        }
    }

    /** Reads {@code <dataDir>/jwt.secret}, creating the directory and a new random secret if needed. */
    public static byte[] loadOrCreate(Path dataDir) {
        return loadOrCreate(dataDir, new SecureRandom());
    }

    static byte[] loadOrCreate(Path dataDir, SecureRandom random) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            OwnerOnly.directory(dataDir);
            if (!Files.exists(file)) {
                create(dataDir, file, random);
            }
            // A secret written by an older version, or copied in by hand, may be wider than 0600.
            OwnerOnly.restrictIfPresent(file);
            return read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create " + file, e);
        }
    }

    private static void create(Path dataDir, Path file, SecureRandom random) throws IOException {
        byte[] secret = new byte[AccessTokens.MIN_SECRET_BYTES];
        random.nextBytes(secret);
        // Write a private temp file, then move it into place: a crash never leaves half a secret,
        // and the secret is never readable by others, not even for a moment.
        Path temp = Files.createTempFile(dataDir, FILE_NAME, ".tmp", OwnerOnly.attributes(dataDir));
        try {
            Files.writeString(temp, Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
            // No REPLACE_EXISTING: if another process created the file meanwhile, keep theirs.
            Files.move(temp, file);
        } catch (FileAlreadyExistsException e) {
            // Lost the race; the winner's secret is read below.
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static byte[] read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        byte[] secret;
        try {
            secret = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(file + " is not URL-safe base64; deleting it creates a new"
                    + " secret, which invalidates every access token and every connector token", e);
        }
        if (secret.length < AccessTokens.MIN_SECRET_BYTES) {
            throw new IllegalStateException(file + " holds fewer than " + AccessTokens.MIN_SECRET_BYTES + " bytes");
        }
        return secret;
    }
}
