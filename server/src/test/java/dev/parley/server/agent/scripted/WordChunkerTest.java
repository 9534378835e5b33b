package dev.parley.server.agent.scripted;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WordChunkerTest {

    @Test
    void deltasHoldAFewWordsAndTheSpaceBeforeThemOpensTheNextDelta() {
        assertThat(WordChunker.split("one two three four five six seven", 3))
                .containsExactly("one two three", " four five six", " seven");
    }

    @Test
    void joinedWithNothingOrWithASpaceTheDeltasReadAsTheWholeWordsOfTheText() {
        String text = "Hello there, how can I help you today?";
        List<String> deltas = WordChunker.split(text, 2);

        assertThat(String.join("", deltas)).isEqualTo(text); // PROTOCOL.md §7, the SDK's live bubble
        assertThat(words(String.join(" ", deltas))).isEqualTo(words(text)); // the SDK's assembled message
        assertThat(String.join(" ", deltas)).doesNotContain("Hellothere").doesNotContain("yo u");
    }

    private static List<String> words(String text) {
        return List.of(text.strip().split("\\s+"));
    }

    @Test
    void deltasConcatenateToTheOriginalTextWhitespaceIncluded() {
        String text = "  Hi,\tI'm  Ada.\nHow can\u00a0I help? ";

        assertThat(String.join("", WordChunker.split(text, 2))).isEqualTo(text);
        assertThat(WordChunker.split(text, 2)).first().asString().startsWith("  Hi,");
    }

    @Test
    void anEmptyTextHasNoDeltas() {
        assertThat(WordChunker.split("", 3)).isEmpty();
    }
}
