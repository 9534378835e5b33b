package dev.parley.server.http.desk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.ParleyServer;
import dev.parley.server.auth.MutableClock;
import dev.parley.server.config.DeskConfig;
import dev.parley.server.desk.DeskAgent;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Desk log-in throttling and lockout (docs/security.md) against a real node over HTTP, on a clock
 * the test moves. Every request comes from 127.0.0.1, so all of them share one client address.
 */
class DeskLoginThrottleTest {
    private static final String WRONG = "not-the-password";
    private static final List<DeskAgent> MORE = List.of(agent("Ann"), agent("Bob"), agent("Cat"));

    @TempDir
    Path dir;
    MutableClock clock = MutableClock.at("2026-12-01T10:00:00Z");
    DeskTestNode node;
    DeskHttp http;

    @BeforeEach
    void start() {
        node = new DeskTestNode(dir, DeskTestNode.withoutDemoAgent(DeskConfig.DEFAULTS), null, MORE, clock);
        http = node.desk();
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void wrongPasswordsBeyondTheLimitAreAnswered429WithRetryAfter() {
        for (int i = 0; i < 5; i++) {
            assertThat(http.login("Sarah", WRONG).statusCode()).as("attempt %d", i + 1).isEqualTo(401);
        }

        HttpResponse<String> sixth = http.login("Sarah", WRONG);

        assertThat(sixth.statusCode()).isEqualTo(429);
        assertThat(sixth.headers().firstValue("Retry-After")).hasValue("900");
        assertThat(DeskHttp.json(sixth).path("error").asText()).isEqualTo("too many failed log-ins; try again later");
    }

    @Test
    void theLockoutHoldsAgainstTheRightPasswordUntilTheClockPassesIt() {
        fail("Sarah", 5);
        clock.advance(Duration.ofSeconds(60));
        HttpResponse<String> locked = http.login("Sarah", DeskTestNode.PASSWORD);
        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(locked.headers().firstValue("Retry-After")).hasValue("840");

        clock.advance(Duration.ofSeconds(839));
        HttpResponse<String> lastSecond = http.login("Sarah", DeskTestNode.PASSWORD);
        assertThat(lastSecond.statusCode()).isEqualTo(429);
        assertThat(lastSecond.headers().firstValue("Retry-After")).hasValue("1");

        clock.advance(Duration.ofSeconds(1));
        assertThat(http.login("Sarah", DeskTestNode.PASSWORD).statusCode()).isEqualTo(200);
    }

    @Test
    void anotherAgentFromTheSameAddressStillLogsInWhileOneNameIsLocked() {
        fail("Sarah", 5);
        assertThat(http.login("Sarah", DeskTestNode.PASSWORD).statusCode()).isEqualTo(429);

        assertThat(http.login("Tom", DeskTestNode.PASSWORD).statusCode()).isEqualTo(200);
    }

    @Test
    void aSuccessfulLoginStartsTheNamesFailureCountAfresh() {
        fail("Sarah", 4);
        assertThat(http.login("Sarah", DeskTestNode.PASSWORD).statusCode()).isEqualTo(200);

        fail("Sarah", 5); // five more wrong ones are answered as such: the count began again at the success
        assertThat(http.login("Sarah", DeskTestNode.PASSWORD).statusCode()).isEqualTo(429);
    }

    @Test
    void anAddressSprayingManyNamesIsLockedForEveryNameEvenWithTheRightPassword() {
        for (String name : List.of("Sarah", "Tom", "Ann", "Bob", "Cat")) {
            fail(name, 4); // under the per-name limit each time: only the address count adds up to 20
        }

        HttpResponse<String> refused = http.login("Tom", DeskTestNode.PASSWORD);

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("900");
        clock.advance(Duration.ofMinutes(15));
        assertThat(http.login("Tom", DeskTestNode.PASSWORD).statusCode()).isEqualTo(200);
    }

    @Test
    void invalidDeskTokensAreThrottledPerAddressOnRestAndOnTheDeskSocket() {
        String token = http.token("Tom", DeskTestNode.PASSWORD);
        for (int i = 0; i < 15; i++) {
            assertThat(http.call("GET", "/desk/api/me", "forged-" + i, null).statusCode()).isEqualTo(401);
            assertThat(DeskClient.refusedStatus(node.baseUrl(), "forged-ws-" + i)).isEqualTo(401);
        }

        HttpResponse<String> rest = http.call("GET", "/desk/api/me", "forged-again", null);
        var socket = DeskClient.refusal(node.baseUrl(), token);

        assertThat(rest.statusCode()).isEqualTo(429);
        assertThat(rest.headers().firstValue("Retry-After")).hasValue("60");
        assertThat(DeskHttp.json(rest).path("error").asText()).isEqualTo("too many invalid desk tokens; try again later");
        assertThat(socket.getStatus()).isEqualTo(429);
        assertThat(socket.getHeaders().get("Retry-After")).isEqualTo("60");
        clock.advance(Duration.ofMinutes(1));
        assertThat(http.call("GET", "/desk/api/me", token, null).statusCode()).isEqualTo(200);
    }

    private void fail(String name, int times) {
        for (int i = 0; i < times; i++) {
            assertThat(http.login(name, WRONG).statusCode()).as("%s attempt %d", name, i + 1).isEqualTo(401);
        }
    }

    private static DeskAgent agent(String name) {
        return new DeskAgent("agt_" + name.toLowerCase(), ParleyServer.DEMO_CONNECTOR_ID, name, null,
                List.of("support"), 3);
    }
}
