package dev.parley.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.config.DeskConfig;
import dev.parley.server.config.ParleyConfig;
import java.nio.file.Files;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@link ParleyTest}: one running server per class, wherever it is asked for, with the class's config tweak. */
@ParleyTest(config = "withoutDesk")
class TestServerExtensionTest {
    static TestServer field;
    static TestServer inBeforeAll;
    final TestServer inConstructor;

    TestServerExtensionTest(TestServer server) {
        inConstructor = server;
    }

    static ParleyConfig withoutDesk(ParleyConfig c) {
        return c.withDesk(DeskConfig.DISABLED);
    }

    @BeforeAll
    static void start(TestServer server) {
        inBeforeAll = server;
    }

    @Test
    void theSameRunningServerIsInjectedIntoFieldsConstructorsAndMethods(TestServer server) {
        assertThat(server).isNotNull().isSameAs(field).isSameAs(inBeforeAll).isSameAs(inConstructor);
        assertThat(server.rest().get("/").statusCode()).isEqualTo(200);
        assertThat(Files.isDirectory(server.dataDir())).isTrue();
    }

    @Test
    void theConfigTweakIsApplied(TestServer server) {
        assertThat(server.server().desk()).isEmpty();
    }

    @Nested
    class Inner {
        @Test
        void aNestedClassSharesTheEnclosingClassesServer(TestServer server) {
            assertThat(server).isSameAs(field);
        }
    }
}
