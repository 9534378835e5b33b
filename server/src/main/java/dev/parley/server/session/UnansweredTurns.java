package dev.parley.server.session;

import dev.parley.protocol.payload.ClientHandoffRequired;
import dev.parley.protocol.payload.PolyAgentJoined;
import dev.parley.protocol.payload.PolyAgentLeft;
import dev.parley.protocol.payload.PolyAgentMessage;
import dev.parley.protocol.payload.PolyAgentMessageChunk;
import dev.parley.protocol.payload.PolyAgentTriggeredHandoff;
import dev.parley.protocol.payload.ServerPayload;
import dev.parley.protocol.payload.SessionEnd;
import dev.parley.protocol.payload.SystemMessage;
import dev.parley.protocol.payload.UserMessageEcho;
import java.util.ArrayList;
import java.util.List;

/**
 * What the AI agent still owes the user, as the journal shows it: the greeting after a join, and
 * the user messages echoed while it listened, that no agent output of their turn followed. A node
 * that stopped or died between an echo and its reply leaves such debts; the rebuilt actor asks the
 * agent again (see {@link AgentConversation#resume}).
 *
 * <p>Each stored output of a turn names the event its turn answers ({@code answers_seq}: the echo,
 * or the join for a greeting). A completed output — a whole message, a final chunk, a stored agent
 * error — settles its own turn's debt and every older one: turns run one at a time in journal
 * order, and an interruptible agent's newer turn replaces the older ones. A message that waited
 * behind a running turn stays owed until its own turn answers it (issue 11). Outputs journaled
 * before the column existed name no turn and settle everything before them, as then. A handoff,
 * the AI leaving and the end settle everything: a handoff drops the waiting messages live too
 * ({@link AgentConversation#stop}), and nothing is asked of an agent that is gone.
 * Confined to the actor's serial queue.
 */
final class UnansweredTurns {
    /** The sequence of the join whose greeting is owed, or 0 (sequences start at 1). */
    private long greetingOf;
    private final List<AgentConversation.Ask> userMessages = new ArrayList<>();

    /**
     * Folds in one journaled event; {@code phase} is the AI agent's phase once it is applied.
     *
     * @param answersSeq the event's {@code answers_seq}, or null
     */
    void note(long sequence, Long answersSeq, ServerPayload payload, AgentPhase phase) {
        if (payload instanceof PolyAgentJoined) {
            greetingOf = sequence;
            userMessages.clear();
        } else if (payload instanceof UserMessageEcho m) {
            if (phase == AgentPhase.JOINED) { // as SessionActor.onUserMessage: only then is the AI asked
                userMessages.add(new AgentConversation.Ask(m.text(), sequence));
            }
        } else if (endsListening(payload) || answersSeq == null && settles(payload)) {
            greetingOf = 0;
            userMessages.clear();
        } else if (settles(payload)) {
            long upTo = answersSeq;
            if (greetingOf <= upTo) {
                greetingOf = 0;
            }
            userMessages.removeIf(ask -> ask.answersSeq() <= upTo);
        }
    }

    /** Completes a turn's answer. */
    private static boolean settles(ServerPayload payload) {
        return payload instanceof PolyAgentMessage
                || (payload instanceof PolyAgentMessageChunk c && c.isComplete())
                || payload instanceof SystemMessage; // only agent failures are journaled (AgentConversation.fail)
    }

    /** The AI agent stops answering this session: nothing it was owed is asked any more. */
    private static boolean endsListening(ServerPayload payload) {
        return payload instanceof PolyAgentTriggeredHandoff
                || payload instanceof ClientHandoffRequired
                || payload instanceof PolyAgentLeft
                || payload instanceof SessionEnd;
    }

    /** True when the greeting of the last join never came. */
    boolean greeting() {
        return greetingOf != 0;
    }

    /** User messages not answered yet, oldest first. */
    List<String> userTexts() {
        return userMessages.stream().map(AgentConversation.Ask::userText).toList();
    }

    /** Every turn still owed, oldest first: the greeting (text null) first when it is owed. */
    List<AgentConversation.Ask> asks() {
        List<AgentConversation.Ask> asks = new ArrayList<>();
        if (greetingOf != 0) {
            asks.add(new AgentConversation.Ask(null, greetingOf));
        }
        asks.addAll(userMessages);
        return asks;
    }
}
