package dev.parley.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ServerEvent;
import dev.parley.protocol.payload.PolyAgentThinking;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventSequencerTest {
    private static ServerEvent stored(long sequence) {
        return new ServerEvent("id-" + sequence, sequence, Instant.EPOCH, new PolyAgentThinking(), null);
    }

    private static ServerEvent transientEvent(String id) {
        return new ServerEvent(id, null, Instant.EPOCH, new PolyAgentThinking(), null);
    }

    private static List<Long> sequences(List<ServerEvent> events) {
        return events.stream().map(ServerEvent::sequence).toList();
    }

    @Test
    void eventsInOrderPassStraightThrough() {
        EventSequencer sequencer = new EventSequencer(0, 10, 10);
        assertThat(sequences(sequencer.accept(stored(1)))).containsExactly(1L);
        assertThat(sequences(sequencer.accept(stored(2)))).containsExactly(2L);
        assertThat(sequencer.delivered()).isEqualTo(2);
    }

    @Test
    void eventAheadOfAGapWaitsUntilTheGapFills() {
        EventSequencer sequencer = new EventSequencer(0, 10, 10);
        sequencer.accept(stored(1));
        assertThat(sequencer.accept(stored(3))).isEmpty();
        assertThat(sequencer.accept(stored(4))).isEmpty();
        assertThat(sequences(sequencer.accept(stored(2)))).containsExactly(2L, 3L, 4L);
    }

    @Test
    void replayedAndHeldDuplicatesAreDropped() {
        EventSequencer sequencer = new EventSequencer(0, 10, 10);
        sequencer.accept(stored(1));
        sequencer.accept(stored(3));
        assertThat(sequencer.accept(stored(1))).isEmpty();
        assertThat(sequencer.accept(stored(3))).isEmpty();
        assertThat(sequencer.heldCount()).isEqualTo(1);
    }

    @Test
    void eventsAtOrBelowTheResumeCursorAreDuplicates() {
        EventSequencer sequencer = new EventSequencer(12, 10, 10);
        assertThat(sequencer.accept(stored(12))).isEmpty();
        assertThat(sequences(sequencer.accept(stored(13)))).containsExactly(13L);
    }

    @Test
    void transientEventsPassAtOnceButOnlyOnceWithinTheWindow() {
        EventSequencer sequencer = new EventSequencer(0, 10, 2);
        assertThat(sequencer.accept(transientEvent("a"))).hasSize(1);
        assertThat(sequencer.accept(transientEvent("a"))).isEmpty();
        sequencer.accept(transientEvent("b"));
        sequencer.accept(transientEvent("c"));
        assertThat(sequencer.accept(transientEvent("a"))).as("forgotten beyond the window").hasSize(1);
    }

    @Test
    void aGapThatNeverFillsIsGivenUpOnceTooManyEventsWait() {
        EventSequencer sequencer = new EventSequencer(0, 2, 10);
        sequencer.accept(stored(2));
        sequencer.accept(stored(3));
        assertThat(sequences(sequencer.accept(stored(4)))).containsExactly(2L, 3L, 4L);
        assertThat(sequencer.accept(stored(1))).isEmpty();
    }
}
