package dev.parley.server.jsclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs the Node tests of the JavaScript client ({@code widget/src/test/js}) as a child process.
 * {@code node} must be on the PATH: without it the test fails with a message saying so, because a
 * skipped client suite would look like a passing one.
 */
final class NodeRunner {
    /** The Node tests, seen from the server module (Maven runs tests in the module's directory). */
    static final Path TESTS = Path.of("..", "widget", "src", "test", "js");
    private static final Pattern VERSION = Pattern.compile("v(\\d+)\\.");

    private NodeRunner() {
    }

    /** The major version of {@code node} on the PATH; fails the test when there is none. */
    static int nodeMajorVersion() {
        String out;
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                fail("`node --version` failed: " + out);
            }
        } catch (IOException e) {
            throw new AssertionError("Node.js 20 or newer must be on the PATH to test the JavaScript client"
                    + " (widget/src/main/js/parley-client): `node` could not be started: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        Matcher m = VERSION.matcher(out);
        assertThat(m.find()).as("node --version answered %s", out).isTrue();
        int major = Integer.parseInt(m.group(1));
        assertThat(major).as("Node.js 20 or newer is needed for the JavaScript client tests, found %s", out)
                .isGreaterThanOrEqualTo(20);
        return major;
    }

    /**
     * Runs {@code node --test} on every {@code *.test.mjs} file with {@code env} added; fails with
     * node's whole output unless it exits 0. Returns that output.
     */
    static String runTests(Map<String, String> env, Path log) throws IOException, InterruptedException {
        int major = nodeMajorVersion();
        List<String> command = new ArrayList<>(List.of("node"));
        if (major < 22) {
            command.add("--experimental-websocket"); // global WebSocket by default from Node 22 only
        }
        command.add("--test");
        command.add("--test-reporter=spec");
        try (Stream<Path> files = Files.list(TESTS)) {
            List<String> tests = files.map(Path::toString).filter(f -> f.endsWith(".test.mjs")).sorted().toList();
            assertThat(tests).as("Node tests in %s", TESTS.toAbsolutePath()).isNotEmpty();
            command.addAll(tests);
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        builder.environment().put("NO_COLOR", "1");
        Process process = builder.start();
        boolean exited = process.waitFor(5, TimeUnit.MINUTES);
        if (!exited) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(output);
        if (!exited) {
            fail("node --test did not finish within 5 minutes:\n" + output);
        }
        if (process.exitValue() != 0) {
            fail("node --test exited with " + process.exitValue() + ":\n" + output);
        }
        return output;
    }
}
