package dev.parley.server.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamCutterTest {

    /** Feeds the deltas, then flushes; returns the non-empty chunks that would go on the wire. */
    private static List<String> chunks(String... deltas) {
        StreamCutter cutter = new StreamCutter();
        List<String> out = new ArrayList<>();
        for (String delta : deltas) {
            String ready = cutter.add(delta);
            if (!ready.isEmpty()) {
                out.add(ready);
            }
        }
        String rest = cutter.flush();
        if (!rest.isEmpty()) {
            out.add(rest);
        }
        return out;
    }

    private static List<String> words(String text) {
        return List.of(text.strip().split("\\s+"));
    }

    @Test
    void modelDeltasCutInsideWordsAreReCutAtWordEndsWithTheSpaceOpeningTheNextChunk() {
        assertThat(chunks("Hel", "lo wor", "ld, how", " are y", "ou?"))
                .containsExactly("Hello", " world,", " how are", " you?");
    }

    @Test
    void joinedWithNothingOrWithASpaceTheChunksReadAsTheWholeWordsOfTheText() {
        String text = "Hello world, how are you today?";
        List<String> chunks = chunks("Hel", "lo wor", "ld, ho", "w are you to", "day?");

        assertThat(String.join("", chunks)).isEqualTo(text);
        assertThat(words(String.join(" ", chunks))).isEqualTo(words(text));
    }

    @Test
    void trailingWhitespaceIsKeptUntilTheMessageEnds() {
        assertThat(chunks("Done. ", "\n")).containsExactly("Done.", " \n");
    }

    @Test
    void aLongRunWithoutSpacesStillStreams() {
        String run = "\u4f60\u597d".repeat(StreamCutter.MAX_HELD);
        StreamCutter cutter = new StreamCutter();

        assertThat(cutter.add(run)).isEqualTo(run);
    }

    @Test
    void aSurrogatePairIsNeverSplit() {
        String run = "a".repeat(StreamCutter.MAX_HELD - 1) + "\ud83d\ude00";
        StreamCutter cutter = new StreamCutter();

        assertThat(cutter.add(run)).isEqualTo(run);
        assertThat(cutter.add("x".repeat(StreamCutter.MAX_HELD - 1) + "\ud83d")).hasSize(StreamCutter.MAX_HELD - 1);
        assertThat(cutter.flush()).isEqualTo("\ud83d");
    }
}
