package dev.parley.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.server.desk.canned.CannedReply;
import dev.parley.server.desk.canned.CannedReplyStore;
import dev.parley.server.desk.canned.ShortcutTakenException;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** What every adapter's {@link CannedReplyStore} must do, run on SQLite and PostgreSQL by a subclass. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class CannedReplyStoreContractTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123Z");

    protected NodeStore store;
    private CannedReplyStore replies;

    protected abstract NodeStore openEmpty() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = openEmpty();
        replies = store.cannedReplies();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static CannedReply reply(String id, String connector, String queue, String shortcut) {
        return new CannedReply(id, connector, queue, shortcut, "Title " + shortcut, "Hello {{customer.name}}", T0, T0);
    }

    @Test
    void a_reply_reads_back_as_stored_and_the_list_puts_all_queue_ones_first() {
        replies.add(reply("cr_2", "con_a", "support", "refund"));
        replies.add(reply("cr_1", "con_a", null, "hello"));
        replies.add(reply("cr_3", "con_a", "billing", "zeta"));
        replies.add(reply("cr_4", "con_b", null, "hello"));

        assertThat(replies.find("cr_2")).contains(reply("cr_2", "con_a", "support", "refund"));
        assertThat(replies.find("cr_1").orElseThrow().queue()).isNull();
        assertThat(replies.list("con_a")).extracting(CannedReply::id).containsExactly("cr_1", "cr_3", "cr_2");
        assertThat(replies.list("con_b")).extracting(CannedReply::id).containsExactly("cr_4");
        assertThat(replies.find("cr_none")).isEmpty();
    }

    @Test
    void a_shortcut_is_unique_per_connector_and_queue_with_every_queue_counting_as_one() {
        replies.add(reply("cr_1", "con_a", "support", "refund"));
        replies.add(reply("cr_2", "con_a", null, "refund"));
        replies.add(reply("cr_3", "con_a", "sales", "refund"));
        replies.add(reply("cr_4", "con_b", "support", "refund"));

        assertThatThrownBy(() -> replies.add(reply("cr_5", "con_a", "support", "refund")))
                .isInstanceOf(ShortcutTakenException.class);
        assertThatThrownBy(() -> replies.add(reply("cr_6", "con_a", null, "refund")))
                .as("two all-queue replies with one shortcut").isInstanceOf(ShortcutTakenException.class);
        assertThat(replies.list("con_a")).hasSize(3);
    }

    @Test
    void an_update_replaces_the_fields_and_refuses_a_taken_shortcut() {
        replies.add(reply("cr_1", "con_a", "support", "refund"));
        replies.add(reply("cr_2", "con_a", "support", "hello"));
        Instant later = T0.plusSeconds(60);
        CannedReply changed = new CannedReply("cr_1", "con_a", null, "refunds", "Refunds", "New text", T0, later);

        assertThat(replies.update(changed)).isTrue();
        assertThat(replies.find("cr_1")).contains(changed);
        assertThatThrownBy(() -> replies.update(new CannedReply("cr_2", "con_a", null, "refunds", "x", "y", T0, later)))
                .isInstanceOf(ShortcutTakenException.class);
        assertThat(replies.find("cr_2").orElseThrow().shortcut()).as("unchanged").isEqualTo("hello");
        assertThat(replies.update(reply("cr_none", "con_a", null, "other"))).isFalse();
    }

    @Test
    void a_removed_reply_is_gone_and_its_shortcut_free_again() {
        replies.add(reply("cr_1", "con_a", "support", "refund"));

        assertThat(replies.remove("cr_1")).isTrue();
        assertThat(replies.remove("cr_1")).isFalse();
        assertThat(replies.find("cr_1")).isEmpty();
        replies.add(reply("cr_2", "con_a", "support", "refund"));
        assertThat(replies.list("con_a")).extracting(CannedReply::id).containsExactly("cr_2");
    }
}
