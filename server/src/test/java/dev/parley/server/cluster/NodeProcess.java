package dev.parley.server.cluster;

import dev.parley.server.testing.Rest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One {@code parley serve} in a JVM of its own (the test's classpath, the CLI's main class), so a
 * test can kill it with SIGKILL like production kills a node. Its output goes to {@code node.log}
 * in its data directory.
 */
public final class NodeProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dataDir;

    private NodeProcess(Process process, int port, Path dataDir) {
        this.process = process;
        this.port = port;
        this.dataDir = dataDir;
    }

    public static NodeProcess start(Path dataDir, Path config, Map<String, String> env) {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                // Small and quick to start: three of these share the machine with the test.
                "-Xmx192m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                // Assertions on, as in the test JVM: the write-path guard (SocketOutbox) fails loudly.
                "-ea",
                "dev.parley.server.cli.ParleyCommand", "serve",
                "--port", String.valueOf(port), "--data-dir", dataDir.toString(),
                "--config", config.toString(), "--no-desk"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dataDir.resolveSibling(dataDir.getFileName() + ".log").toFile());
        builder.environment().putAll(env);
        try {
            return new NodeProcess(builder.start(), port, dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start parley serve", e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public Rest rest() {
        return new Rest(baseUrl());
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Whether {@code /readyz} answers 200 (false while starting, or when the node is not there). */
    public boolean ready() {
        try {
            return process.isAlive() && rest().get("/readyz").statusCode() == 200;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** SIGKILL: no shutdown hook, no 1012, no lease given up. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** SIGSTOP: the process freezes (a long GC pause, a stopped VM); its sockets stay open. */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause}: it runs on as if no time had passed. */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    public int port() {
        return port;
    }

    public Path log() {
        return dataDir.resolveSibling(dataDir.getFileName() + ".log");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: the graceful stop
        if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
