package dev.parley.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP load balancer on a free loopback port in front of several nodes, as nginx stands in front of
 * a cluster in production (no nginx on CI machines): each new connection goes to the next backend in
 * turn; a backend that refuses the connection (a killed node) is skipped for the next one, as
 * nginx's {@code proxy_next_upstream error} does. Bytes pass through untouched, so a corrupt frame
 * seen by a client was written corrupt by the node. Thread per direction per link; test code only.
 */
public final class RoundRobinBalancer implements AutoCloseable {
    private final ServerSocket listener;
    private final List<InetSocketAddress> backends;
    private final AtomicInteger next = new AtomicInteger();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private RoundRobinBalancer(List<InetSocketAddress> backends) throws IOException {
        this.backends = List.copyOf(backends);
        this.listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "balancer-accept-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Balances over {@code http://127.0.0.1:port} style backends given by their ports. */
    public static RoundRobinBalancer over(List<Integer> ports) {
        try {
            return new RoundRobinBalancer(ports.stream()
                    .map(p -> new InetSocketAddress(InetAddress.getLoopbackAddress(), p)).toList());
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a balancer port", e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        sockets.forEach(RoundRobinBalancer::closeQuietly);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            Socket upstream = connectToNext();
            if (upstream == null) {
                closeQuietly(client); // every backend is down: the client sees a dead service
                continue;
            }
            sockets.add(client);
            sockets.add(upstream);
            pump(client, upstream, "up");
            pump(upstream, client, "down");
        }
    }

    /** The next backend that accepts, trying each at most once; null when none does. */
    private Socket connectToNext() {
        for (int i = 0; i < backends.size(); i++) {
            InetSocketAddress target = backends.get(Math.floorMod(next.getAndIncrement(), backends.size()));
            Socket upstream = new Socket();
            try {
                upstream.setTcpNoDelay(true);
                upstream.connect(target, 2_000);
                return upstream;
            } catch (IOException e) {
                closeQuietly(upstream);
            }
        }
        return null;
    }

    private void pump(Socket from, Socket to, String direction) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // the other side closed or died, or the balancer closes: end the link below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "balancer-" + direction + "-" + port());
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // already closed
        }
    }
}
