package dev.parley.server.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class PasswordsTest {
    private final Passwords passwords = new Passwords(4, new SecureRandom());

    @Test
    void aHashVerifiesItsPasswordAndNoOther() {
        String hash = passwords.hash("correct horse".toCharArray());

        assertThat(hash).startsWith("$2y$04$").doesNotContain("correct horse");
        assertThat(passwords.verify("correct horse".toCharArray(), hash)).isTrue();
        assertThat(passwords.verify("correct hors".toCharArray(), hash)).isFalse();
    }

    @Test
    void theSamePasswordHashesDifferentlyEachTime() {
        assertThat(passwords.hash("pw".toCharArray())).isNotEqualTo(passwords.hash("pw".toCharArray()));
    }

    @Test
    void theCostIsWrittenIntoTheHashAndProductionUsesTwelve() {
        assertThat(Passwords.PRODUCTION_COST).isEqualTo(12);
        assertThat(new Passwords(5, new SecureRandom()).hash("pw".toCharArray())).startsWith("$2y$05$");
    }

    @Test
    void emptyPasswordsAndMalformedHashesNeverVerify() {
        String hash = passwords.hash("pw".toCharArray());

        assertThat(passwords.verify(new char[0], hash)).isFalse();
        assertThat(passwords.verify("pw".toCharArray(), "not-a-bcrypt-hash")).isFalse();
        assertThat(passwords.verify("pw".toCharArray(), null)).isFalse();
        assertThatThrownBy(() -> passwords.hash(new char[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anOutOfRangeCostIsRefused() {
        assertThatThrownBy(() -> new Passwords(3, new SecureRandom())).isInstanceOf(IllegalArgumentException.class);
    }
}
