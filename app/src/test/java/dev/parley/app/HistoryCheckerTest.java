package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.RawJson;
import dev.parley.protocol.ServerEvent;
import dev.parley.protocol.payload.PolyAgentMessage;
import dev.parley.protocol.payload.PolyAgentMessageChunk;
import dev.parley.protocol.payload.ServerPayload;
import dev.parley.protocol.payload.SessionStart;
import dev.parley.protocol.payload.UserMessageEcho;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The history checker on synthetic histories, and the exit code it leads to. */
class HistoryCheckerTest {
    private static final List<String> SENT = List.of("a", "b", "c");

    /** Builds a history; sequences are given explicitly so tests can break them. */
    private static final class History {
        final List<ServerEvent> events = new ArrayList<>();
        private int ids;

        History add(long seq, ServerPayload payload, String clientEventId) {
            RawJson meta = clientEventId == null ? null
                    : RawJson.of("{\"custom\":{\"client_event_id\":\"" + clientEventId + "\"}}");
            events.add(new ServerEvent("e" + (++ids), seq, Instant.EPOCH, payload, meta));
            return this;
        }

        History start() {
            return add(1, new SessionStart(null), null).add(2, reply(), null); // greeting
        }

        History user(long seq, String clientEventId) {
            return add(seq, new UserMessageEcho("q", "m" + seq), clientEventId);
        }

        History answer(long seq) {
            return add(seq, reply(), null);
        }

        private static ServerPayload reply() {
            return new PolyAgentMessage("r", "answer", List.of(), List.of());
        }
    }

    private static History clean() {
        return new History().start().user(3, "a").answer(4).user(5, "b").answer(6).user(7, "c").answer(8);
    }

    @Test
    void aCleanHistoryPasses() {
        HistoryChecker.Result r = HistoryChecker.check("s", SENT, clean().events);
        assertThat(r.ok()).isTrue();
        assertThat(r.problems()).isEmpty();
        assertThat(r.echoed()).isEqualTo(3);
        assertThat(r.storedEvents()).isEqualTo(8);
    }

    @Test
    void streamedRepliesCountWhenTheirLastChunkIsComplete() {
        History h = new History().start().user(3, "a")
                .add(4, new PolyAgentMessageChunk("r1", "ans", List.of(), List.of(), 1, false), null)
                .user(5, "b") // sent before the first reply finished: answers are matched in order
                .add(6, new PolyAgentMessageChunk("r1", "wer", List.of(), List.of(), 2, true), null)
                .answer(7).user(8, "c");
        HistoryChecker.Result r = HistoryChecker.check("s", SENT, h.events);
        assertThat(r.unanswered()).isEqualTo(1);
        assertThat(r.lost()).isEmpty();
        h.answer(9);
        assertThat(HistoryChecker.check("s", SENT, h.events).ok()).isTrue();
    }

    @Test
    void aDuplicatedMessageFails() {
        History h = clean().user(9, "b").answer(10);
        HistoryChecker.Result r = HistoryChecker.check("s", SENT, h.events);
        assertThat(r.ok()).isFalse();
        assertThat(r.duplicated()).containsExactly("b");
        assertThat(r.problems()).anySatisfy(p -> assertThat(p).contains("1 duplicated message(s): [b]"));
    }

    @Test
    void aSequenceGapFails() {
        History h = new History().start().user(3, "a").answer(4).user(6, "b").answer(7).user(8, "c").answer(9);
        HistoryChecker.Result r = HistoryChecker.check("s", SENT, h.events);
        assertThat(r.ok()).isFalse();
        assertThat(r.gaps()).containsExactly(5L);
        assertThat(r.problems()).anySatisfy(p -> assertThat(p).contains("missing [5]"));
    }

    @Test
    void aRepeatedSequenceFails() {
        History h = clean().answer(8);
        HistoryChecker.Result r = HistoryChecker.check("s", SENT, h.events);
        assertThat(r.ok()).isFalse();
        assertThat(r.repeatedSequences()).containsExactly(8L);
    }

    @Test
    void aLostMessageFails() {
        History h = new History().start().user(3, "a").answer(4).user(5, "c").answer(6);
        HistoryChecker.Result r = HistoryChecker.check("s", SENT, h.events);
        assertThat(r.ok()).isFalse();
        assertThat(r.lost()).containsExactly("b");
    }

    @Test
    void messagesStoredOutOfSendOrderFail() {
        History h = new History().start().user(3, "b").answer(4).user(5, "a").answer(6).user(7, "c").answer(8);
        HistoryChecker.Result r = HistoryChecker.check("s", SENT, h.events);
        assertThat(r.ok()).isFalse();
        assertThat(r.outOfOrder()).isEqualTo(1);
    }

    @Test
    void anUnansweredMessageFails() {
        History h = new History().start().user(3, "a").answer(4).user(5, "b").answer(6).user(7, "c");
        assertThat(HistoryChecker.check("s", SENT, h.events).unanswered()).isEqualTo(1);
    }

    @Test
    void theBenchExitsNonZeroWhenAHistoryHasADuplicateOrAGap() {
        LoadRun.Config config = new LoadRun.Config("http://x", "t", "h", 1, 3, 2, true, 0, null);
        LoadRun.Outcome run = new LoadRun.Outcome(
                List.of(new LoadRun.SessionOutcome("s", SENT, 3, 0, 3, null)), 1_000_000_000L, 1_000_000_000L, 10, 1,
                new Histogram(3), new Histogram(3), true);

        BenchReport good = BenchReport.of(config, run, List.of(HistoryChecker.check("s", SENT, clean().events)), List.of());
        assertThat(BenchCommand.exitCode(good)).isZero();

        BenchReport duplicate = BenchReport.of(config, run,
                List.of(HistoryChecker.check("s", SENT, clean().user(9, "a").answer(10).events)), List.of());
        assertThat(BenchCommand.exitCode(duplicate)).isNotZero();
        assertThat(duplicate.duplicated()).isEqualTo(1);
        assertThat(duplicate.toText()).contains("FAILED", "session s: 1 duplicated message(s): [a]");

        History gap = new History().start().user(3, "a").answer(4).user(5, "b").user(7, "c").answer(8).answer(9);
        BenchReport gapped = BenchReport.of(config, run, List.of(HistoryChecker.check("s", SENT, gap.events)), List.of());
        assertThat(BenchCommand.exitCode(gapped)).isNotZero();
        assertThat(gapped.sequenceGaps()).isEqualTo(1);
        assertThat(gapped.toJson()).contains("\"sequence_gaps\" : 1", "\"ok\" : false");
    }
}
