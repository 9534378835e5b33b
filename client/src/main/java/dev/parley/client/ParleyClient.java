package dev.parley.client;

import dev.parley.client.internal.ClientCore;
import dev.parley.client.internal.RealConversation;
import java.util.Objects;

/**
 * Entry point of the SDK: holds the options, the HTTP client and the timers shared by its
 * conversations. Create one per application, like an HTTP client; thread-safe.
 *
 * <pre>{@code
 * ParleyClient client = ParleyClient.create(ClientOptions.builder()
 *         .baseUrl("https://chat.example.com").connectorToken(token).host("com.example.app").build());
 * Conversation chat = client.start(new ConversationListener() {
 *     public void onAgentMessage(Conversation c, AgentMessage m) { show(m.text()); }
 * });
 * chat.send("What are your opening hours?");
 * }</pre>
 */
public final class ParleyClient implements AutoCloseable {
    private final ClientCore core;
    /** Any thread. */
    private volatile boolean closed;

    private ParleyClient(ClientOptions options) {
        this.core = new ClientCore(options);
    }

    public static ParleyClient create(ClientOptions options) {
        return new ParleyClient(Objects.requireNonNull(options, "options"));
    }

    public ClientOptions options() {
        return core.options();
    }

    /**
     * Starts a new conversation: access token, session, socket, then the agent join. Returns at once;
     * progress arrives through {@code listener}.
     *
     * @throws IllegalStateException if this client was closed
     */
    public Conversation start(ConversationListener listener) {
        return begin(listener, null, 0);
    }

    /**
     * Reconnects to an existing session, replaying the events after {@code cursor} (0 for the whole
     * history), e.g. after an app restart with a saved {@link Conversation#lastSequence()}. With a
     * cursor above 0 the SDK cannot see whether the agent joined and does not ask it to; should the
     * server answer "conversation not found", it joins then.
     *
     * @throws IllegalStateException if this client was closed
     */
    public Conversation resume(String sessionId, long cursor, ConversationListener listener) {
        if (cursor < 0) {
            throw new IllegalArgumentException("negative cursor: " + cursor);
        }
        return begin(listener, Objects.requireNonNull(sessionId, "sessionId"), cursor);
    }

    private Conversation begin(ConversationListener listener, String sessionId, long cursor) {
        if (closed) {
            throw new IllegalStateException("client closed");
        }
        RealConversation conversation = new RealConversation(core, Objects.requireNonNull(listener, "listener"), sessionId, cursor);
        conversation.begin();
        return conversation;
    }

    /**
     * Closes every conversation (the sessions stay resumable), then stops the SDK's threads. Blocks
     * up to a couple of seconds per conversation while their delivery threads finish.
     */
    @Override
    public void close() {
        closed = true;
        core.close();
    }
}
