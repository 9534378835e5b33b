package dev.parley.server.datadir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The exclusive lock a server holds on {@code <dataDir>/parley.lock} for its whole life. Two
 * servers on one directory would each run their own session actors over the same journal and
 * corrupt each other's sequences; the second one is refused at start instead. The admin CLI does
 * not take this lock: it writes through SQLite's own locking while the server runs.
 *
 * <p>The lock is the operating system's (fcntl on Linux), so it goes away with the process even
 * after a crash; the file itself is left in place, as deleting it would race with the next starter.
 */
public final class DataDirLock implements AutoCloseable {
    public static final String FILE_NAME = "parley.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock or throws {@link DataDirInUseException} at once; never waits. */
    public static DataDirLock acquire(Path dataDir) {
        Path file = OwnerOnly.file(OwnerOnly.directory(dataDir).resolve(FILE_NAME));
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file.toAbsolutePath(), e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by another server in this same JVM (the OS lock is per process)
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock " + file.toAbsolutePath(), e);
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new DataDirInUseException(dataDir, file);
        }
        return new DataDirLock(channel, lock);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing was locked through it; the refusal or the original failure is what matters.
        }
    }

    /** Releases the lock; the next server may start on the directory. A second call does nothing. */
    @Override
    public synchronized void close() throws IOException {
        if (!channel.isOpen()) {
            return;
        }
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
