package dev.parley.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.payload.PolyAgentJoined;
import dev.parley.protocol.payload.PolyAgentLeft;
import dev.parley.protocol.payload.PolyAgentMessage;
import dev.parley.protocol.payload.PolyAgentMessageChunk;
import dev.parley.protocol.payload.PolyAgentTriggeredHandoff;
import dev.parley.protocol.payload.ServerPayload;
import dev.parley.protocol.payload.SystemMessage;
import dev.parley.protocol.payload.UserMessageEcho;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the journal shows the AI agent still owes (issue 11): an output settles the turn it names
 * (answers_seq) and older ones, never a message that waited behind it; outputs journaled before
 * the column existed (null) settle everything before them, as they always did.
 */
class UnansweredTurnsTest {
    private final UnansweredTurns turns = new UnansweredTurns();
    private long seq;

    @BeforeEach
    void joined() {
        note(new PolyAgentJoined("Hand", null), null); // 1
        note(reply("hello"), 1L); // 2: the greeting
    }

    private long note(ServerPayload payload, Long answersSeq) {
        AgentPhase phase = payload instanceof PolyAgentLeft ? AgentPhase.LEFT : AgentPhase.JOINED;
        turns.note(++seq, answersSeq, payload, phase);
        return seq;
    }

    private long say(String text) {
        return note(new UserMessageEcho(text, "msg_" + text), null);
    }

    private static PolyAgentMessage reply(String text) {
        return new PolyAgentMessage("msg_r", text, List.of(), List.of());
    }

    @Test
    void aMessageThatWaitedBehindAnotherTurnIsStillOwedAfterThatTurnsReply() {
        long m1 = say("first");
        long m2 = say("second");
        note(reply("answer to first"), m1);

        assertThat(turns.userTexts()).containsExactly("second");
        assertThat(turns.asks()).containsExactly(new AgentConversation.Ask("second", m2));
        assertThat(turns.greeting()).isFalse();
    }

    @Test
    void theReplyOfTheLaterTurnSettlesItAndEveryOlderOne() {
        long m1 = say("first");
        long m2 = say("second");
        note(reply("answer to first"), m1);
        note(reply("answer to second"), m2);

        assertThat(turns.asks()).isEmpty();

        say("third");
        long m4 = say("fourth");
        note(reply("answer to fourth"), m4); // an interruptible agent cancelled the third's turn
        assertThat(turns.asks()).isEmpty();
    }

    @Test
    void aFinalChunkOrAnAgentErrorSettlesItsOwnTurnOnly() {
        long m1 = say("first");
        say("second");
        note(new PolyAgentMessageChunk("msg_c", "half", List.of(), List.of(), 1, false), m1);
        assertThat(turns.userTexts()).as("a chunk that is not the last settles nothing").containsExactly("first", "second");
        note(new PolyAgentMessageChunk("msg_c", "", List.of(), List.of(), 2, true), m1);
        assertThat(turns.userTexts()).containsExactly("second");

        long m3 = say("third");
        say("fourth");
        note(SystemMessage.error("sorry", "the AI agent failed"), m3);
        assertThat(turns.userTexts()).containsExactly("fourth");
    }

    @Test
    void aGreetingIsOwedUntilAnOutputOfItsTurnOrALaterOneAndAMessageDuringItStaysOwed() {
        long join = note(new PolyAgentJoined("Hand", null), null);
        long m1 = say("first");
        assertThat(turns.asks()).containsExactly(new AgentConversation.Ask(null, join),
                new AgentConversation.Ask("first", m1));

        note(reply("hello again"), join);
        assertThat(turns.greeting()).isFalse();
        assertThat(turns.userTexts()).containsExactly("first");
    }

    @Test
    void anOutputJournaledBeforeTheColumnSettlesEverythingBeforeIt() {
        say("first");
        say("second");
        note(reply("answer to first"), null);

        assertThat(turns.asks()).isEmpty();
    }

    @Test
    void aHandoffOrTheAgentLeavingSettlesEverything() {
        long m1 = say("first");
        say("second");
        note(new PolyAgentTriggeredHandoff(), m1); // the waiting messages are dropped live as well
        assertThat(turns.asks()).isEmpty();

        long m3 = say("third");
        say("fourth");
        note(new PolyAgentLeft("bye"), m3);
        assertThat(turns.asks()).isEmpty();
    }
}
