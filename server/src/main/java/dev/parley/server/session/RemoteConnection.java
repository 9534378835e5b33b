package dev.parley.server.session;

import dev.parley.server.fanout.FanOut;

/**
 * A user socket on another node as the owner's actor sees it (issue 11): the frames it sent arrive
 * forwarded by that node's follower, and what the actor sends to it alone goes back over the
 * fan-out to the origin node's topic. Never attached to the actor: stored events reach that socket
 * through its follower, which reads them from the journal.
 */
final class RemoteConnection implements Connection {
    private final FanOut fanOut;
    private final String session;
    private final String origin;
    private final String conn;

    RemoteConnection(FanOut fanOut, String session, String origin, String conn) {
        this.fanOut = fanOut;
        this.session = session;
        this.origin = origin;
        this.conn = conn;
    }

    @Override
    public String id() {
        return origin + "/" + conn;
    }

    @Override
    public void send(String frame) {
        fanOut.publish(FanOutMessages.nodeTopic(origin), FanOutMessages.toNode(
                new FanOutMessages.ToNode(FanOutMessages.ToNode.ANSWER, session, origin, conn, frame, 0)));
    }

    @Override
    public void close(int code, String reason) {
        fanOut.publish(FanOutMessages.nodeTopic(origin), FanOutMessages.toNode(
                new FanOutMessages.ToNode(FanOutMessages.ToNode.CLOSE, session, origin, conn, reason, code)));
    }

    @Override
    public String toString() {
        return "remote " + id();
    }
}
