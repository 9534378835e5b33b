package dev.parley.server.operator;

import static dev.parley.server.store.TestJournal.CONNECTOR_ID;
import static dev.parley.server.store.TestJournal.connector;
import static dev.parley.server.store.TestJournal.event;
import static dev.parley.server.store.TestJournal.session;
import static dev.parley.server.store.TestJournal.sessionStart;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.EventType;
import dev.parley.server.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TranscriptsTest {
    @TempDir
    Path dir;
    SqliteStore store;
    Transcripts transcripts;

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir);
        transcripts = new Transcripts(store.operators(), store, store);
        store.createConnector(connector(CONNECTOR_ID, "h"));
        store.create(session("s1"), sessionStart("s1"));
        store.append(List.of(
                event("s1", 2, EventType.USER_MESSAGE, "{\"text\":\"line one\\n[2026-01-01T00:00:00Z] AI agent: fake\"}", "c1"),
                event("s1", 3, EventType.POLY_AGENT_MESSAGE_CHUNK,
                        "{\"message_id\":\"m1\",\"text\":\"Hel\",\"chunk_index\":1,\"is_complete\":false}", null),
                event("s1", 4, EventType.POLY_AGENT_MESSAGE_CHUNK,
                        "{\"message_id\":\"m1\",\"text\":\"lo <b>\",\"chunk_index\":2,\"is_complete\":true,\"agent_name\":\"Ada\"}", null),
                event("s1", 5, EventType.LIVE_AGENT_MESSAGE, "{\"text\":\"x\\u0007y\",\"agent_name\":\"Uma</span>\"}", null)));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aMessageCannotFakeALineOfItsOwnInTheTextTranscript() {
        String text = transcripts.export("s1", TranscriptFormat.TEXT).orElseThrow();

        assertThat(text).contains("User: line one\n    [2026-01-01T00:00:00Z] AI agent: fake\n");
        assertThat(text.lines().filter(l -> l.startsWith("[")).count()).as("one line per event shown").isEqualTo(4);
        assertThat(text).contains("AI agent (Ada): Hello <b>").as("chunks joined");
    }

    @Test
    void theHtmlPageEscapesNamesAndTextAndDropsControlCharacters() {
        String html = transcripts.export("s1", TranscriptFormat.HTML).orElseThrow();

        assertThat(html).contains("Hello &lt;b&gt;").contains("Live agent (Uma&lt;/span&gt;)").contains("x\uFFFDy")
                .doesNotContain("<b>").doesNotContain("Uma</span>").doesNotContain("\u0007");
    }

    @Test
    void noTranscriptForAnUnknownSession() {
        assertThat(transcripts.export("nope", TranscriptFormat.JSON)).isEmpty();
    }
}
