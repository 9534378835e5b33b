package dev.parley.server.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * STYLE.md rule 1: the core (sessions, agents, auth, config, the store ports) never imports Vert.x,
 * JDBC or a pool, so it can be tested without sockets or a database server. Adapters live in
 * {@code http} and {@code store.sqlite}.
 */
class CoreIsFrameworkFreeTest {
    private static final Path MAIN = Path.of("src/main/java/dev/parley/server");
    private static final List<String> FORBIDDEN = List.of("import io.vertx", "import io.netty", "import java.sql",
            "import javax.sql", "import com.zaxxer", "import org.flywaydb", "import io.lettuce");

    @ParameterizedTest
    @ValueSource(strings = {"session", "agent", "auth", "config", "time", "desk", "operator"})
    void corePackageImportsNoFrameworkType(String pkg) throws IOException {
        assertThat(offendingLines(MAIN.resolve(pkg), true)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"store"})
    void storePortsImportNoFrameworkType(String pkg) throws IOException {
        assertThat(offendingLines(MAIN.resolve(pkg), false)).isEmpty();
    }

    private static List<String> offendingLines(Path dir, boolean recursive) throws IOException {
        assertThat(dir).isDirectory();
        try (Stream<Path> files = recursive ? Files.walk(dir) : Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".java"))
                    .flatMap(CoreIsFrameworkFreeTest::lines)
                    .filter(line -> FORBIDDEN.stream().anyMatch(line.text()::startsWith))
                    .map(Line::toString)
                    .collect(Collectors.toList());
        }
    }

    private record Line(Path file, String text) {
        @Override
        public String toString() {
            return file + ": " + text;
        }
    }

    private static Stream<Line> lines(Path file) {
        try {
            return Files.readAllLines(file).stream().map(String::trim).map(text -> new Line(file, text));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
