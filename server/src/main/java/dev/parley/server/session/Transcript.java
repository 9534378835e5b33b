package dev.parley.server.session;

import dev.parley.server.agent.Conversation.Turn;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The turns of a session, oldest first, as agents read them. Appended by the actor; every agent
 * turn takes a {@link #snapshot}, which costs O(1) instead of a copy of the whole conversation
 * (issue 10: the copy made each turn O(length), so a long session's turns grew ever dearer).
 *
 * <p>Why a snapshot needs no lock: turns are never changed once added, a snapshot only sees slots
 * below its size, and later turns go to slots above it or to a new array. The snapshot reaches the
 * agent's thread through the executor or future that starts the turn, which publishes those slots.
 * Confined to the actor's serial queue, except snapshots, which any thread may read.
 */
final class Transcript {
    private Turn[] turns = new Turn[16];
    private int size;

    void add(Turn turn) {
        if (size == turns.length) {
            turns = Arrays.copyOf(turns, size * 2);
        }
        turns[size++] = Objects.requireNonNull(turn);
    }

    /** The turns so far, unmodifiable and unaffected by later ones. */
    List<Turn> snapshot() {
        return new Snapshot(turns, size);
    }

    private static final class Snapshot extends AbstractList<Turn> implements RandomAccess {
        private final Turn[] turns;
        private final int size;

        Snapshot(Turn[] turns, int size) {
            this.turns = turns;
            this.size = size;
        }

        @Override
        public Turn get(int index) {
            Objects.checkIndex(index, size);
            return turns[index];
        }

        @Override
        public int size() {
            return size;
        }
    }
}
