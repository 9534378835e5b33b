package dev.parley.server.desk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ConversationLabelTest {

    @Test
    void aSessionIdAlwaysGetsTheSameShortLabelOfTwoWordsAndTwoDigits() {
        String id = "3f2b8c1e-9d4a-4f6b-8a2e-1c5d7e9f0a1b";
        String label = ConversationLabel.of(id);
        assertThat(label).matches("[A-Z][a-z]+ [A-Z][a-z]+ \\d\\d");
        assertThat(ConversationLabel.of(id)).isEqualTo(label);
        assertThat(ConversationLabel.of(id.toUpperCase())).isEqualTo(label);
        assertThat(label.length()).isLessThanOrEqualTo(20);
    }

    @Test
    void theLabelIsFixedForAKnownIdSoEveryNodeAndReleaseAgrees() {
        // Pinned: changing the word lists or the hash renames every conversation agents talk about.
        assertThat(ConversationLabel.of("3f2b8c1e-9d4a-4f6b-8a2e-1c5d7e9f0a1b")).isEqualTo("Slate Gecko 81");
        assertThat(ConversationLabel.of("h-support")).isEqualTo("Topaz Bear 65");
        assertThat(ConversationLabel.of("")).matches("[A-Z][a-z]+ [A-Z][a-z]+ \\d\\d");
        assertThat(ConversationLabel.of(null)).isEqualTo(ConversationLabel.of(""));
    }

    @Test
    void differentSessionsMostlyGetDifferentLabels() {
        Set<String> labels = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            labels.add(ConversationLabel.of(UUID.nameUUIDFromBytes(("s" + i).getBytes()).toString()));
        }
        assertThat(labels.size()).isGreaterThan(990);
    }

    @Test
    void theCustomerNameComesFromTheVerifiedContextWhenTheSiteSentOne() {
        assertThat(ConversationLabel.customerName(Map.of("name", "  Jane   Doe ", "plan", "gold"))).hasValue("Jane Doe");
        assertThat(ConversationLabel.customerName(Map.of("first_name", "Jane", "last_name", "Doe"))).hasValue("Jane Doe");
        assertThat(ConversationLabel.customerName(Map.of("firstName", "Jane"))).hasValue("Jane");
        assertThat(ConversationLabel.customerName(Map.of("customer_name", "x".repeat(200))).orElseThrow()).hasSize(80);
        assertThat(ConversationLabel.customerName(Map.of("plan", "gold", "name", 42))).isEmpty();
        assertThat(ConversationLabel.customerName(Map.of("name", " "))).isEmpty();
        assertThat(ConversationLabel.customerName(null)).isEmpty();
    }
}
