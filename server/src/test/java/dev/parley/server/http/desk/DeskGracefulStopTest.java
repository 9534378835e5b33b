package dev.parley.server.http.desk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.session.CloseCodes;
import dev.parley.server.testing.Frames;
import dev.parley.server.testing.WsClient;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, item 9, the desk's side: a graceful stop closes desk sockets with 1012 as it does the
 * users' (a desk page takes 1000 as a log-out), also while the agent is in a conversation.
 */
class DeskGracefulStopTest {
    @TempDir
    Path dir;

    @Test
    void aGracefulStopClosesTheDeskSocketAndTheUsersSocketOfAnAssignedConversationWithServiceRestart() {
        DeskTestNode node = new DeskTestNode(dir);
        try (DeskClient sarah = node.connectDesk(node.desk().token("Sarah", DeskTestNode.PASSWORD));
             WsClient user = node.newSession()) {
            sarah.next("desk.snapshot");
            user.replay();
            user.join();
            Frames.readUntilAgentReply(user);
            user.say("I need a human");
            Frames.readUntil(user, f -> Frames.type(f).equals("EVENT_TYPE_LIVE_AGENT_JOINED"));
            sarah.next("desk.assigned");

            node.close();

            assertThat(sarah.awaitClose()).as("desk socket").isEqualTo(CloseCodes.SERVICE_RESTART);
            assertThat(user.awaitClose()).as("user socket").isEqualTo(CloseCodes.SERVICE_RESTART);
        }
    }

    @Test
    void anIdleDeskSocketIsClosedWithServiceRestart() {
        DeskTestNode node = new DeskTestNode(dir);
        try (DeskClient tom = node.connectDesk(node.desk().token("Tom", DeskTestNode.PASSWORD))) {
            tom.next("desk.snapshot");

            node.close();

            assertThat(tom.awaitClose()).isEqualTo(CloseCodes.SERVICE_RESTART);
        }
    }
}
