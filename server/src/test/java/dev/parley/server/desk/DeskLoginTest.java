package dev.parley.server.desk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.auth.MutableClock;
import dev.parley.server.store.NodeStore;
import dev.parley.server.testing.BothStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@BothStores
class DeskLoginTest {
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    @TempDir
    Path dir;
    private NodeStore store;
    private DeskLogin login;
    private final MutableClock clock = MutableClock.at("2026-03-01T10:00:00Z");
    private final Passwords passwords = new Passwords(4, new SecureRandom());
    private final DeskAgent sarah = new DeskAgent("agt_1", "con_demo", "Sarah", null, List.of("support"), 3);

    @BeforeEach
    void setUp() {
        store = DeskFixtures.storeWithConnector(dir);
        store.createAgent(sarah, passwords.hash("parley-demo".toCharArray()));
        login = new DeskLogin(store, passwords, new DeskTokens(SECRET, DeskTokens.DEFAULT_LIFETIME, clock, new SecureRandom()));
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void theRightPasswordGivesTheAgentAndADeskTokenForThem() {
        Optional<DeskLogin.Success> ok = login.login("Sarah", "parley-demo".toCharArray());

        assertThat(ok).isPresent();
        assertThat(ok.get().agent()).isEqualTo(sarah);
        assertThat(ok.get().token().expiresInSeconds()).isEqualTo(43_200);
        assertThat(login.tokens().verify(ok.get().token().token())).contains("agt_1");
        assertThat(login.authenticate(ok.get().token().token())).contains(sarah);
    }

    @Test
    void aWrongPasswordAndAnUnknownNameGetTheSameRefusal() {
        assertThat(login.login("Sarah", "wrong".toCharArray())).isEmpty();
        assertThat(login.login("Nobody", "parley-demo".toCharArray())).isEmpty();
        assertThat(login.login("Sarah", new char[0])).isEmpty();
        assertThat(login.login(null, "parley-demo".toCharArray())).isEmpty();
    }

    @Test
    void anUnknownNameStillRunsOneBcryptCheck() {
        int[] checks = {0};
        Passwords counting = new Passwords(4, new SecureRandom()) {
            @Override
            public boolean verify(char[] password, String hash) {
                checks[0]++;
                return super.verify(password, hash);
            }
        };
        DeskLogin counted = new DeskLogin(store, counting, login.tokens());

        assertThat(counted.login("Nobody", "x".toCharArray())).isEmpty();
        assertThat(checks[0]).isEqualTo(1);
        assertThat(counted.login("Sarah", "x".toCharArray())).isEmpty();
        assertThat(checks[0]).isEqualTo(2);
    }

    @Test
    void aTokenOfADeletedOrUnknownAgentDoesNotAuthenticate() {
        String token = new DeskTokens(SECRET, DeskTokens.DEFAULT_LIFETIME, clock, new SecureRandom())
                .issue(new DeskAgent("agt_gone", "con_demo", "Gone", null, List.of("support"), 1)).token();

        assertThat(login.authenticate(token)).isEmpty();
        assertThat(login.authenticate("garbage")).isEmpty();
    }
}
