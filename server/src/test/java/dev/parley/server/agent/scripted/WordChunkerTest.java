package dev.parley.server.agent.scripted;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WordChunkerTest {

    @Test
    void deltasHoldAFewWordsWithTheirTrailingSpace() {
        assertThat(WordChunker.split("one two three four five six seven", 3))
                .containsExactly("one two three ", "four five six ", "seven");
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
