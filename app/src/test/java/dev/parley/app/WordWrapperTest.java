package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class WordWrapperTest {

    private static String wrap(int width, String prefix, int indent, String... pieces) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        out.print(prefix);
        WordWrapper wrapper = new WordWrapper(out, width, prefix.length(), indent);
        for (String piece : pieces) {
            wrapper.append(piece);
        }
        wrapper.finish();
        out.flush();
        return text.toString().replace(System.lineSeparator(), "\n");
    }

    @Test
    void breaksBetweenWordsAndIndentsContinuationLines() {
        assertThat(wrap(20, "Ada: ", 5, "We are open from noon to eleven pm."))
                .isEqualTo("Ada: We are open\n     from noon to\n     eleven pm.");
    }

    @Test
    void aWordSplitAcrossStreamedPiecesStaysWhole() {
        assertThat(wrap(20, "Ada: ", 5, "We are o", "pen from no", "on to eleven pm."))
                .isEqualTo(wrap(20, "Ada: ", 5, "We are open from noon to eleven pm."));
    }

    @Test
    void aShortLeadingWordKeepsItsSpace() {
        assertThat(wrap(40, "", 2, "* Ada joined the conversation")).isEqualTo("* Ada joined the conversation");
    }

    @Test
    void widthZeroLeavesTheTextAlone() {
        assertThat(wrap(0, "Ada: ", 0, "two  spaces,", " kept")).isEqualTo("Ada: two  spaces, kept");
    }
}
