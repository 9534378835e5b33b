package dev.parley.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code parley …} as a real process (this JVM's java, the test classpath, the launcher's main
 * class), its stdout and stderr collected as they come, so a test sees what an operator sees
 * and the exit code. Neither output is a terminal, as in a pipe or a CI log.
 */
final class CliProcess implements AutoCloseable {
    private final Process process;
    private final StringBuffer out = new StringBuffer();
    private final StringBuffer err = new StringBuffer();
    private final Thread outReader;
    private final Thread errReader;

    private CliProcess(Process process) {
        this.process = process;
        this.outReader = drain(process.getInputStream(), out);
        this.errReader = drain(process.getErrorStream(), err);
    }

    static CliProcess start(Path workDir, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                Parley.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        builder.environment().remove("COLUMNS");
        builder.environment().putAll(env);
        try {
            return new CliProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start parley", e);
        }
    }

    private static Thread drain(InputStream stream, StringBuffer into) {
        Thread t = new Thread(() -> {
            try (stream) {
                // Bytes to text per read is fine here: the tests' non-ASCII text arrives whole in one line.
                java.io.Reader reader = new java.io.InputStreamReader(stream, StandardCharsets.UTF_8);
                char[] chars = new char[4096];
                int n;
                while ((n = reader.read(chars)) != -1) {
                    into.append(chars, 0, n);
                }
            } catch (IOException e) {
                // the process is gone
            }
        }, "cli-process-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    String out() {
        return out.toString();
    }

    String err() {
        return err.toString();
    }

    void type(String line) {
        try {
            OutputStream stdin = process.getOutputStream();
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ctrl-D: the end of standard input. */
    void endOfInput() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ctrl-C: SIGINT, as the terminal sends it. */
    void interrupt() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -INT failed");
        }
    }

    /**
     * The exit code, once the process ended by itself within {@code seconds}; the bound only keeps
     * a broken build from hanging, it is far above what any of these needs.
     */
    int exitCode(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("still running after " + seconds + " s; stdout: " + out + "; stderr: " + err);
        }
        outReader.join(5_000);
        errReader.join(5_000);
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }
}
