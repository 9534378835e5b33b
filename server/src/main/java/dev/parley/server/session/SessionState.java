package dev.parley.server.session;

import dev.parley.protocol.codec.ServerEventDecoder;
import dev.parley.protocol.codec.ServerFrame;
import dev.parley.protocol.payload.HandoffAccepted;
import dev.parley.protocol.payload.HandoffFailed;
import dev.parley.protocol.LiveAgent;
import dev.parley.protocol.payload.HandoffQueueStatus;
import dev.parley.protocol.payload.HandoffTimeout;
import dev.parley.protocol.payload.LanguageChanged;
import dev.parley.protocol.payload.LiveAgentJoined;
import dev.parley.protocol.payload.LiveAgentLeft;
import dev.parley.protocol.payload.LiveAgentMessage;
import dev.parley.protocol.payload.PolyAgentJoined;
import dev.parley.protocol.payload.PolyAgentLeft;
import dev.parley.protocol.payload.PolyAgentMessage;
import dev.parley.protocol.payload.PolyAgentMessageChunk;
import dev.parley.protocol.payload.ServerPayload;
import dev.parley.protocol.payload.SessionEnd;
import dev.parley.protocol.payload.SessionStart;
import dev.parley.protocol.payload.SystemMessage;
import dev.parley.protocol.payload.UserMessageEcho;
import dev.parley.server.agent.Conversation.Speaker;
import dev.parley.server.agent.Conversation.Turn;
import dev.parley.server.store.StoredEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a session actor knows, derived from its journal so that a restarted node resumes exactly
 * where the last one stopped: the head sequence, the AI agent's phase, whether the session ended,
 * the transcript agents read, and the echo of every client event id (for idempotent resends).
 * Confined to the actor's serial queue.
 */
final class SessionState {
    private long head;
    private AgentPhase phase = AgentPhase.NOT_JOINED;
    private boolean ended;
    private HandoffPhase handoff = HandoffPhase.NONE;
    private String liveAgentId;
    /** The latest LANGUAGE_CHANGED's tag, or null: rebuilt from the journal like everything here. */
    private String language;
    /** Who holds the conversation, as LIVE_AGENT_JOINED named them; null when no live agent does. */
    private LiveAgent liveAgent;
    /** From SESSION_START: the sub verified-context tokens must name; null in sessions from before. */
    private String contextId;
    private final Transcript transcript = new Transcript();
    private final Map<String, String> echoByClientEventId = new HashMap<>();
    /** Streamed messages without their last chunk yet, by message id, in the order they opened. */
    private final Map<String, Partial> partialChunks = new LinkedHashMap<>();
    private final UnansweredTurns unanswered = new UnansweredTurns();

    /** A streamed message so far: its text, the index of its latest chunk, the turn it answers. */
    private static final class Partial {
        final StringBuilder text = new StringBuilder();
        int lastChunk;
        Long answersSeq;
    }

    /**
     * A streamed message whose final chunk was never journaled (the node stopped or died mid-stream).
     *
     * @param answersSeq what its turn answers (its chunks' answers_seq), or null in older journals
     */
    record HalfStream(String messageId, int lastChunk, Long answersSeq) {
    }

    static SessionState rebuild(List<StoredEvent> history) {
        SessionState state = new SessionState();
        history.forEach(state::apply);
        return state;
    }

    /**
     * Folds in an event the actor just created; reads the payload record instead of parsing JSON,
     * so a live message costs no extra decoding.
     */
    void apply(StoredEvent event, ServerPayload payload) {
        head = event.sequence();
        if (event.clientEventId() != null) {
            echoByClientEventId.put(event.clientEventId(), event.json());
        }
        if (payload instanceof SessionStart start) {
            contextId = start.contextId();
        }
        if (payload instanceof PolyAgentJoined) {
            phase = AgentPhase.JOINED;
            if (handoff == HandoffPhase.OFFLINE) {
                handoff = HandoffPhase.NONE; // the user went back to the AI: messages are no longer left for the team
            }
        } else if (payload instanceof PolyAgentLeft) {
            phase = AgentPhase.LEFT;
        } else if (payload instanceof SessionEnd) {
            ended = true;
        } else if (payload instanceof HandoffAccepted || payload instanceof HandoffQueueStatus) {
            handoff = HandoffPhase.QUEUED;
            liveAgentId = null;
            liveAgent = null;
        } else if (payload instanceof LiveAgentJoined j) {
            handoff = HandoffPhase.LIVE;
            liveAgentId = j.agent().id();
            liveAgent = j.agent();
        } else if (payload instanceof LiveAgentLeft) {
            handoff = HandoffPhase.QUEUED; // back in a queue unless SESSION_END follows
            liveAgentId = null;
            liveAgent = null;
        } else if (payload instanceof HandoffFailed || payload instanceof HandoffTimeout) {
            handoff = HandoffPhase.NONE;
        } else if (payload instanceof SystemMessage m && OutOfHoursTexts.OFFLINE_DETAIL.equals(m.detail())) {
            handoff = HandoffPhase.OFFLINE;
        } else if (payload instanceof LanguageChanged l) {
            language = l.languageCode();
        } else if (payload instanceof UserMessageEcho m) {
            transcript.add(new Turn(Speaker.USER, m.text()));
        } else if (payload instanceof PolyAgentMessage m) {
            transcript.add(new Turn(Speaker.AI_AGENT, m.text()));
        } else if (payload instanceof LiveAgentMessage m) {
            transcript.add(new Turn(Speaker.LIVE_AGENT, m.text()));
        } else if (payload instanceof PolyAgentMessageChunk c) {
            Partial partial = partialChunks.computeIfAbsent(c.messageId(), id -> new Partial());
            partial.text.append(c.text());
            partial.lastChunk = c.chunkIndex();
            partial.answersSeq = event.answersSeq();
            if (c.isComplete()) {
                partialChunks.remove(c.messageId());
                transcript.add(new Turn(Speaker.AI_AGENT, partial.text.toString()));
            }
        }
        unanswered.note(event.sequence(), event.answersSeq(), payload, phase);
    }

    /** Folds one journaled event in, while rebuilding from history. */
    private void apply(StoredEvent event) {
        ServerFrame frame = ServerEventDecoder.decode(event.json())
                .orElseThrow(() -> new IllegalStateException("unreadable journal entry " + event.eventId()));
        apply(event, ((ServerFrame.Single) frame).event().payload());
    }

    long nextSequence() {
        return head + 1;
    }

    long head() {
        return head;
    }

    AgentPhase phase() {
        return phase;
    }

    HandoffPhase handoff() {
        return handoff;
    }

    /** The connected live agent's id, or null. */
    /** The live agent holding the conversation, or null. */
    LiveAgent liveAgent() {
        return liveAgent;
    }

    String liveAgentId() {
        return liveAgentId;
    }

    /** The conversation language set by an agent, or null. */
    String language() {
        return language;
    }

    String contextId() {
        return contextId;
    }

    boolean ended() {
        return ended;
    }

    /** A snapshot: O(1), unmodifiable, unaffected by later turns (see {@link Transcript}). */
    List<Turn> transcript() {
        return transcript.snapshot();
    }

    /** Streamed messages still waiting for their final chunk, oldest first. */
    List<HalfStream> halfStreams() {
        List<HalfStream> open = new ArrayList<>();
        partialChunks.forEach((id, p) -> open.add(new HalfStream(id, p.lastChunk, p.answersSeq)));
        return open;
    }

    /** What the AI agent still owes, as of the last event folded in. */
    UnansweredTurns unanswered() {
        return unanswered;
    }

    String echoOf(String clientEventId) {
        return echoByClientEventId.get(clientEventId);
    }
}
