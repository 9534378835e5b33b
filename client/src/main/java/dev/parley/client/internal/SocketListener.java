package dev.parley.client.internal;

import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;

/**
 * Reads one socket for a conversation: joins text fragments into frames and hands each frame, and
 * the socket's end, to the conversation tagged with the connection's generation, so that late
 * callbacks of a replaced socket are recognised and ignored. Called by the HTTP client's threads,
 * one callback at a time per socket.
 */
final class SocketListener implements WebSocket.Listener {
    interface Sink {
        /** Comes before any frame of the socket, so frames can be answered on it at once. */
        void onOpen(int generation, WebSocket socket);

        void onFrame(int generation, String frame);

        void onGone(int generation, String why, Throwable error);
    }

    private final int generation;
    private final Sink sink;
    /** HTTP client thread of the current callback only (the JDK calls a listener sequentially). */
    private final StringBuilder partial = new StringBuilder();

    SocketListener(int generation, Sink sink) {
        this.generation = generation;
        this.sink = sink;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        sink.onOpen(generation, webSocket);
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String frame = partial.toString();
            partial.setLength(0);
            sink.onFrame(generation, frame);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        sink.onGone(generation, "closed by server (" + statusCode + " " + reason + ")", null);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        sink.onGone(generation, "socket error", error);
    }
}
