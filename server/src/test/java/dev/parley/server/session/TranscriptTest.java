package dev.parley.server.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.server.agent.Conversation.Speaker;
import dev.parley.server.agent.Conversation.Turn;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 10: an agent turn's view of the transcript is a snapshot that later turns do not change. */
class TranscriptTest {
    @Test
    void aSnapshotKeepsTheTurnsOfItsMomentWhileTheTranscriptGrowsPastItsArray() {
        Transcript transcript = new Transcript();
        transcript.add(new Turn(Speaker.USER, "hi"));
        List<Turn> first = transcript.snapshot();
        for (int i = 0; i < 40; i++) {
            transcript.add(new Turn(Speaker.AI_AGENT, "reply " + i));
        }

        assertThat(first).containsExactly(new Turn(Speaker.USER, "hi"));
        assertThat(transcript.snapshot()).hasSize(41).endsWith(new Turn(Speaker.AI_AGENT, "reply 39"));
        assertThatThrownBy(() -> first.add(new Turn(Speaker.USER, "x"))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> first.get(1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
