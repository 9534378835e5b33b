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
 * the user messages echoed while it listened, that no agent output followed. A node that stopped
 * or died between an echo and its reply leaves such debts; the rebuilt actor asks the agent again
 * (see {@link AgentConversation#resume}).
 *
 * <p>Any completed agent output — a whole message, a final chunk, a stored agent error, a handoff,
 * the end — settles every debt before it. The journal does not mark where one turn ends (a webhook
 * turn may write several messages), so a message that waited behind a running turn and was cut off
 * after that turn's reply looks answered: we accept missing that rare answer (the graceful stop
 * lets waiting turns finish first) rather than risk answering a message twice.
 * Confined to the actor's serial queue.
 */
final class UnansweredTurns {
    private boolean greeting;
    private final List<String> userTexts = new ArrayList<>();

    /** Folds in one journaled event; {@code phase} is the AI agent's phase once it is applied. */
    void note(ServerPayload payload, AgentPhase phase) {
        if (payload instanceof PolyAgentJoined) {
            greeting = true;
            userTexts.clear();
        } else if (payload instanceof UserMessageEcho m) {
            if (phase == AgentPhase.JOINED) { // as SessionActor.onUserMessage: only then is the AI asked
                userTexts.add(m.text());
            }
        } else if (settles(payload)) {
            greeting = false;
            userTexts.clear();
        }
    }

    private static boolean settles(ServerPayload payload) {
        return payload instanceof PolyAgentMessage
                || (payload instanceof PolyAgentMessageChunk c && c.isComplete())
                || payload instanceof SystemMessage // only agent failures are journaled (AgentConversation.fail)
                || payload instanceof PolyAgentTriggeredHandoff
                || payload instanceof ClientHandoffRequired
                || payload instanceof PolyAgentLeft
                || payload instanceof SessionEnd;
    }

    /** True when the greeting of the last join never came. */
    boolean greeting() {
        return greeting;
    }

    /** User messages not answered yet, oldest first. */
    List<String> userTexts() {
        return List.copyOf(userTexts);
    }
}
