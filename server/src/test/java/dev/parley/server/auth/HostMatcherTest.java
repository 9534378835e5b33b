package dev.parley.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostMatcherTest {

    @ParameterizedTest(name = "{0} accepts {1}")
    @CsvSource({
            "yourcompany.com, yourcompany.com",
            "yourcompany.com, https://yourcompany.com",
            "https://www.yourcompany.com, www.yourcompany.com",
            "yourcompany.com, https://yourcompany.com:8443",
            "yourcompany.com, https://yourcompany.com/chat?x=1#top",
            "yourcompany.com, https://user:pw@yourcompany.com/",
            "yourcompany.com, YourCompany.COM",
            "YOURCOMPANY.com, yourcompany.com",
            "yourcompany.com, yourcompany.com.",
            "yourcompany.com., yourcompany.com",
            "yourcompany.com, app.yourcompany.com",
            "yourcompany.com, https://a.b.yourcompany.com:443/x",
            "localhost, http://localhost:3000",
            "127.0.0.1, http://127.0.0.1:8080",
            "com.yourcompany.app, com.yourcompany.app",
            "com.yourcompany.app, COM.YourCompany.App",
            "app.yourcompany.com, beta.app.yourcompany.com",
            "dev.yourcompany.com, x.dev.yourcompany.com",
    })
    void registeredHostAcceptsEquivalentAndSubdomainRequests(String registered, String request) {
        assertThat(HostMatcher.matches(registered, request)).isTrue();
    }

    @ParameterizedTest(name = "{0} refuses {1}")
    @CsvSource({
            "yourcompany.com, evilyourcompany.com",
            "yourcompany.com, yourcompany.com.evil.com",
            "yourcompany.com, https://evil.com/yourcompany.com",
            "yourcompany.com, https://yourcompany.com@evil.com",
            "app.yourcompany.com, yourcompany.com",
            "app.yourcompany.com, other.yourcompany.com",
            "com.yourcompany.app, x.com.yourcompany.app",
            "com.yourcompany.app, com.yourcompany.app.evil",
            "com.yourcompany.app, com.yourcompany",
            "127.0.0.1, 1.127.0.0.1",
    })
    void registeredHostRefusesLookAlikes(String registered, String request) {
        assertThat(HostMatcher.matches(registered, request)).isFalse();
    }

    @ParameterizedTest(name = "garbage request ''{0}'' never matches")
    @CsvSource(value = {"''", "'   '", "https://", "://", "a..b.yourcompany.com", "your company.com", "yourcompany.com:port:9:x",
            "[::1", "http://[]", "@", "#yourcompany.com", "'\u0000yourcompany.com'", "ünicode.yourcompany.com"})
    void garbageNeverMatchesAndNeverThrows(String request) {
        assertThat(HostMatcher.matches("yourcompany.com", request)).isFalse();
        assertThat(HostMatcher.matches(request, request)).isFalse();
    }

    @Test
    void nullOnEitherSideNeverMatches() {
        assertThat(HostMatcher.matches(null, "yourcompany.com")).isFalse();
        assertThat(HostMatcher.matches("yourcompany.com", null)).isFalse();
        assertThat(HostMatcher.matches(null, null)).isFalse();
    }

    @Test
    void normaliseStripsEverythingButTheHost() {
        assertThat(HostMatcher.normalise("  HTTPS://u@Www.Example.COM.:8443/p?q#f ")).contains("www.example.com");
        assertThat(HostMatcher.normalise("[::1]:8080")).contains("[::1]");
        assertThat(HostMatcher.normalise("https://")).isEmpty();
    }
}
