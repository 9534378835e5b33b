package dev.parley.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.Suggestion;
import dev.parley.protocol.payload.PolyAgentMessageChunk;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamAssemblerTest {
    private static PolyAgentMessageChunk chunk(String id, int index, String text, boolean complete, String... suggestions) {
        return new PolyAgentMessageChunk(id, text, List.of(),
                java.util.Arrays.stream(suggestions).map(Suggestion::of).toList(), index, complete);
    }

    @Test
    void chunksAreConcatenatedAndCompleteOnTheLastOne() {
        StreamAssembler assembler = new StreamAssembler(4);
        assertThat(assembler.accept(chunk("m", 1, "Hello ", false, "S1")).orElseThrow().textSoFar()).isEqualTo("Hello ");
        assertThat(assembler.accept(chunk("m", 2, "there, ", false)).orElseThrow().completed()).isNull();
        StreamAssembler.Progress last = assembler.accept(chunk("m", 3, "how can I help?", true, "S2")).orElseThrow();

        assertThat(last.completed().text()).isEqualTo("Hello there, how can I help?");
        assertThat(last.completed().suggestions()).extracting(Suggestion::messageText).containsExactly("S1", "S2");
        assertThat(assembler.openCount()).isZero();
    }

    @Test
    void outOfOrderChunksWaitForTheirPredecessor() {
        StreamAssembler assembler = new StreamAssembler(4);
        assertThat(assembler.accept(chunk("m", 2, "b", true))).isEmpty();
        assertThat(assembler.accept(chunk("m", 1, "a", false)).orElseThrow().completed().text()).isEqualTo("ab");
    }

    @Test
    void aRepeatedChunkChangesNothing() {
        StreamAssembler assembler = new StreamAssembler(4);
        assembler.accept(chunk("m", 1, "a", false));
        assertThat(assembler.accept(chunk("m", 1, "a", false))).isEmpty();
        assertThat(assembler.accept(chunk("m", 2, "", true)).orElseThrow().completed().text()).isEqualTo("a");
    }

    @Test
    void unfinishedMessagesBeyondTheLimitAreForgottenOldestFirst() {
        StreamAssembler assembler = new StreamAssembler(2);
        assembler.accept(chunk("a", 1, "x", false));
        assembler.accept(chunk("b", 1, "x", false));
        assembler.accept(chunk("c", 1, "x", false));
        assertThat(assembler.openCount()).isEqualTo(2);
    }
}
