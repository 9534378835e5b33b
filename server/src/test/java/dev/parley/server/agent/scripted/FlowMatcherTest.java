package dev.parley.server.agent.scripted;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.agent.AgentProfile;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class FlowMatcherTest {

    private static Intent intent(String name, List<String> keywords, String... patterns) {
        List<Pattern> compiled = Arrays.stream(patterns)
                .map(regex -> Pattern.compile(regex, FlowReader.PATTERN_FLAGS)).toList();
        return new Intent(name, keywords, compiled, Reply.of(name), Intent.Action.NONE, null);
    }

    private static Optional<String> match(String text, Intent... intents) {
        Flow flow = new Flow(new AgentProfile("Ada", "https://example.com/ada.png"),
                Reply.of("Hi"), List.of(intents), Reply.of("Sorry?"));
        return new FlowMatcher(flow).match(text).map(Intent::name);
    }

    @Test
    void keywordsMatchWholeWordsIgnoringCase() {
        Intent hours = intent("hours", List.of("hours"));

        assertThat(match("What are your hours?", hours)).contains("hours");
        assertThat(match("HOURS", hours)).contains("hours");
        assertThat(match("hours", hours)).contains("hours");
        assertThat(match("Paid hoursly", hours)).isEmpty();
        assertThat(match("Office_hours", hours)).isEmpty();
    }

    @Test
    void keywordsRespectWordsOfAnyScript() {
        Intent cafe = intent("cafe", List.of("café"));
        Intent price = intent("price", List.of("цена"));

        assertThat(match("Un CAFÉ, s'il vous plaît", cafe)).contains("cafe");
        assertThat(match("cafés", cafe)).isEmpty();
        assertThat(match("Какая ЦЕНА?", price)).contains("price");
        assertThat(match("ценами", price)).isEmpty();
    }

    @Test
    void accentsMatchHoweverTheyWereTyped() {
        Intent cafe = intent("cafe", List.of("café"));

        assertThat(match("un cafe\u0301 noir", cafe)).contains("cafe");
    }

    @Test
    void keywordPhrasesMatchAcrossAnyWhitespaceAndCurlyApostrophes() {
        Intent bye = intent("bye", List.of("that's all"));

        assertThat(match("OK, that's   all, thanks", bye)).contains("bye");
        assertThat(match("that\u2019s all", bye)).contains("bye");
        assertThat(match("that's allright", bye)).isEmpty();
    }

    @Test
    void patternsAreFoundAnywhereIgnoringCase() {
        Intent price = intent("price", List.of(), "how\\s+much");

        assertThat(match("So... HOW  MUCH is it?", price)).contains("price");
        assertThat(match("how many", price)).isEmpty();
    }

    @Test
    void theFirstMatchingIntentInFileOrderWins() {
        Intent human = intent("human", List.of("person"));
        Intent booking = intent("booking", List.of("table"));

        assertThat(match("A table for one person", human, booking)).contains("human");
        assertThat(match("A table for one person", booking, human)).contains("booking");
    }

    @Test
    void noMatchMeansFallback() {
        assertThat(match("Do you deliver?", intent("hours", List.of("hours"), "open"))).isEmpty();
    }

    @Test
    void demoFlowRoutesTypicalQuestions() {
        FlowMatcher demo = new FlowMatcher(FlowLoader.demo());

        assertThat(demo.match("What are your opening hours?")).map(Intent::name).contains("hours");
        assertThat(demo.match("Can I book a table for 4?")).map(Intent::name).contains("booking");
        assertThat(demo.match("Show me the menu")).map(Intent::name).contains("menu");
        assertThat(demo.match("How much does it cost?")).map(Intent::name).contains("pricing");
        assertThat(demo.match("I want to talk to a person")).map(Intent::name).contains("human");
        assertThat(demo.match("That's all, thanks")).map(Intent::name).contains("goodbye");
        assertThat(demo.match("Do you deliver to the moon?")).isEmpty();
    }
}
