package dev.parley.client.internal;

import java.net.http.WebSocket;

/**
 * Moves a socket's callbacks from the HTTP client's threads onto the conversation thread, where the
 * {@link Connector}, {@link Inbound} and the conversation handle them. Called on the HTTP client's
 * threads; holds nothing mutable.
 */
final class SocketHop implements SocketListener.Sink {
    private final ConversationThread thread;
    private final RealConversation conversation;
    private final Connector connector;
    private final Inbound in;

    SocketHop(ConversationThread thread, RealConversation conversation, Connector connector, Inbound in) {
        this.thread = thread;
        this.conversation = conversation;
        this.connector = connector;
        this.in = in;
    }

    @Override
    public void onOpen(int gen, WebSocket ws) {
        thread.post(() -> connector.opened(gen, ws, null));
    }

    @Override
    public void onFrame(int gen, String frame) {
        thread.post(() -> in.frame(gen, frame));
    }

    @Override
    public void onGone(int gen, String why, Throwable error) {
        thread.post(() -> conversation.gone(gen, why, error));
    }
}
