package dev.parley.server.datadir;

import java.nio.file.Path;

/** Another server holds the data directory's lock: this one must not start on it. */
public final class DataDirInUseException extends RuntimeException {
    public DataDirInUseException(Path dataDir, Path lockFile) {
        super("data directory " + dataDir.toAbsolutePath() + " is in use by another Parley server (it holds "
                + lockFile.getFileName() + "); stop that server or give this one its own --data-dir");
    }
}
