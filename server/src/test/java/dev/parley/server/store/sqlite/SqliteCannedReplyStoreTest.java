package dev.parley.server.store.sqlite;

import dev.parley.server.store.CannedReplyStoreContractTest;
import dev.parley.server.store.NodeStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The canned-reply store contract on the embedded SQLite file. */
class SqliteCannedReplyStoreTest extends CannedReplyStoreContractTest {
    @TempDir
    Path dataDir;

    @Override
    protected NodeStore openEmpty() {
        return SqliteStore.open(dataDir.resolve("data"));
    }
}
