package dev.parley.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on a free loopback port in front of a real dependency (Redis, PostgreSQL), so a
 * test can break the network the way production breaks it: {@link #cutAll()} resets every open
 * link (a crashed peer), {@link #refuseNew()} turns new connections away (a dead host),
 * {@link #stall()} keeps links open but lets no byte through (a partition or a dead middlebox —
 * the silent failure that only a liveness check notices), {@link #delay} slows every chunk, and
 * {@link #heal()} undoes refusing and stalling. Thread per direction per link; test code only.
 *
 * <p>Mutable state ({@code refusing}, {@code stalled}, {@code delayMillis}) is guarded by
 * {@code this}; pumps wait on {@code this} while stalled.
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private boolean refusing;
    private boolean stalled;
    private long delayMillis;
    private volatile boolean closed;

    private TcpProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts forwarding from a free loopback port to {@code host:port}. */
    public static TcpProxy to(String host, int port) {
        try {
            return new TcpProxy(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a proxy port", e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Resets every open link; both ends see their connection end. New links are still accepted. */
    public void cutAll() {
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
    }

    /** Closes every new connection right after accepting it (open links are left alone). */
    public synchronized void refuseNew() {
        refusing = true;
    }

    /** Lets no byte through in either direction, on open links and new ones, without closing any. */
    public synchronized void stall() {
        stalled = true;
    }

    /** Holds every chunk this long before forwarding it. */
    public synchronized void delay(Duration delay) {
        delayMillis = delay.toMillis();
    }

    /** Accepts and forwards again; bytes held while stalled flow on, none lost. Delay is kept. */
    public synchronized void heal() {
        refusing = false;
        stalled = false;
        notifyAll();
    }

    /** Links open right now (each counts its two sockets once). */
    public int openLinks() {
        return sockets.size() / 2;
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        cutAll();
        synchronized (this) {
            notifyAll();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (refusing()) {
                closeQuietly(client);
                continue;
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(target, 2_000);
            } catch (IOException e) {
                closeQuietly(client); // the target is down: the client sees the same
                closeQuietly(upstream);
                continue;
            }
            sockets.add(client);
            sockets.add(upstream);
            pump(client, upstream, "up");
            pump(upstream, client, "down");
        }
    }

    private synchronized boolean refusing() {
        return refusing;
    }

    private void pump(Socket from, Socket to, String direction) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    awaitPassage();
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // a cut, the other side closing, or the proxy closing: end the link below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "tcp-proxy-" + direction + "-" + port());
        thread.setDaemon(true);
        thread.start();
    }

    /** Blocks while stalled, then waits out the delay (a simulated latency, not synchronisation). */
    private void awaitPassage() throws InterruptedException, IOException {
        long delay;
        synchronized (this) {
            while (stalled && !closed) {
                wait();
            }
            delay = delayMillis;
        }
        if (closed) {
            throw new IOException("proxy closed");
        }
        if (delay > 0) {
            Thread.sleep(delay);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // already closed
        }
    }
}
