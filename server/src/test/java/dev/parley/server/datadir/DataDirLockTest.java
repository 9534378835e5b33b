package dev.parley.server.datadir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 9 item 12: one server per data directory. */
class DataDirLockTest {
    @TempDir
    Path data;

    /** A journalled exchange: the join is stored, then the scripted agent answers. */
    private static void converse(WsClient chat) {
        chat.replay();
        chat.join();
        chat.nextOfType("EVENT_TYPE_POLY_AGENT_MESSAGE");
    }

    @Test
    void aSecondServerOnTheSameDirectoryIsRefusedNamingItAndTheFirstKeepsServing() {
        try (TestServer first = TestServer.start(data)) {
            assertThatThrownBy(() -> TestServer.start(data).close())
                    .isInstanceOf(DataDirInUseException.class)
                    .hasMessageContaining(data.toAbsolutePath().toString())
                    .hasMessageContaining("in use by another Parley server");

            try (WsClient chat = first.newSession(false)) {
                converse(chat);
            }
        }
    }

    @Test
    void afterTheFirstServerClosesANewOneStartsOnTheDirectory() {
        TestServer.start(data).close();

        try (TestServer second = TestServer.start(data); WsClient chat = second.newSession(false)) {
            converse(chat);
        }
    }

    @Test
    void aStartThatFailsAfterTakingTheLockReleasesIt() throws Exception {
        // A truncated secret fails the start after the lock and the store were opened.
        Files.createDirectories(data);
        Files.writeString(data.resolve("jwt.secret"), "c2hvcnQ");
        assertThatThrownBy(() -> TestServer.start(data).close()).hasMessageContaining("jwt.secret");
        Files.delete(data.resolve("jwt.secret"));

        TestServer.start(data).close();
    }
}
