package dev.parley.server.datadir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the data directory at mode 0700 and the files in it at 0600, where the file system is
 * POSIX (elsewhere these calls only create what is missing). Every opener (server, admin CLI,
 * secret loader) calls these on the paths it touches: whichever process comes first, the modes
 * end up the same, and modes are set explicitly rather than left to the umask.
 */
public final class OwnerOnly {
    private static final Logger LOG = LoggerFactory.getLogger(OwnerOnly.class);

    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnly() {
    }

    /** Creates {@code dir} (and missing parents) if needed and makes it 0700, saying so if it was wider. */
    public static Path directory(Path dir) {
        try {
            boolean existed = Files.isDirectory(dir);
            // Created with the umask's mode, restricted at once; it is empty meanwhile.
            Files.createDirectories(dir);
            if (isPosix(dir)) {
                // Only the data directory itself is tightened: its parents may be shared on purpose.
                Set<PosixFilePermission> was = Files.getPosixFilePermissions(dir);
                if (!was.equals(DIRECTORY)) {
                    Files.setPosixFilePermissions(dir, DIRECTORY);
                    if (existed) {
                        LOG.info("data directory {} was {}, tightened to {}", dir.toAbsolutePath(),
                                PosixFilePermissions.toString(was), PosixFilePermissions.toString(DIRECTORY));
                    }
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create or restrict the data directory " + dir.toAbsolutePath(), e);
        }
    }

    /**
     * Creates {@code file} empty at 0600 if it is missing, else makes it 0600. Called before SQLite
     * opens the database: SQLite gives the -wal and -shm files it creates the database file's mode.
     */
    public static Path file(Path file) {
        try {
            try {
                Files.createFile(file, attributes(file.getParent()));
            } catch (FileAlreadyExistsException e) {
                // Someone made it earlier; restrict it below.
            }
            restrict(file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create or restrict " + file.toAbsolutePath(), e);
        }
    }

    /** Makes {@code file} 0600 if it exists (a WAL left by an older version, say); absent is fine. */
    public static void restrictIfPresent(Path file) {
        try {
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                restrict(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restrict " + file.toAbsolutePath(), e);
        }
    }

    /** The attribute that creates a file 0600 on POSIX, none elsewhere; for {@code Files.create*}. */
    public static FileAttribute<?>[] attributes(Path dir) {
        return isPosix(dir)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)}
                : new FileAttribute<?>[0];
    }

    private static void restrict(Path file) throws IOException {
        if (isPosix(file) && !Files.getPosixFilePermissions(file).equals(FILE)) {
            Files.setPosixFilePermissions(file, FILE);
        }
    }

    private static boolean isPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
