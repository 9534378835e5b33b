package dev.parley.server.agent.scripted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.Attachment;
import dev.parley.protocol.AttachmentContentType;
import dev.parley.protocol.HandoffReason;
import dev.parley.protocol.Suggestion;
import dev.parley.server.agent.HandoffRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowLoaderTest {
    private static final String HEAD = """
            agent:
              name: Ada
              avatar_url: https://example.com/ada.png
            greeting:
              text: Hello
            fallback:
              text: Sorry?
            """;

    /** A valid flow plus the given intent lines (each a YAML list item under {@code intents}). */
    private static String withIntents(String... intents) {
        return HEAD + "intents:\n" + String.join("\n", intents) + "\n";
    }

    private static void assertRejected(String yaml, String message) {
        assertThatThrownBy(() -> FlowLoader.parse(yaml)).isInstanceOf(FlowException.class).hasMessage(message);
    }

    @Test
    void demoFlowIntroducesAdaWithThreeSuggestions() {
        Flow demo = FlowLoader.demo();

        assertThat(demo.agent().name()).isEqualTo("Ada");
        // The demo's pictures ship with the server (StaticAssets), not on a third-party host.
        assertThat(demo.agent().avatarUrl()).isEqualTo("/widget/assets/ada.svg");
        assertThat(demo.greeting().suggestions()).hasSize(3);
        assertThat(demo.fallback().suggestions()).isNotEmpty();
    }

    @Test
    void demoFlowHandsOffToSupportAndEndsOnGoodbye() {
        Flow demo = FlowLoader.demo();

        assertThat(demo.intents()).filteredOn(intent -> intent.action() == Intent.Action.HANDOFF)
                .singleElement()
                .satisfies(intent -> {
                    assertThat(intent.handoff()).isEqualTo(new HandoffRequest(HandoffReason.COMPLEX_QUERY, "support"));
                    assertThat(intent.reply().text()).isEqualTo("Let me connect you with a person.");
                });
        assertThat(demo.intents()).filteredOn(intent -> intent.action() == Intent.Action.END).singleElement()
                .satisfies(intent -> assertThat(intent.keywords()).contains("bye", "goodbye", "that's all"));
    }

    @Test
    void demoFlowShowsBothAttachmentKinds() {
        assertThat(FlowLoader.demo().intents())
                .flatMap(intent -> intent.reply() == null ? List.of() : intent.reply().attachments())
                .extracting(Attachment::contentType)
                .contains(AttachmentContentType.ATTACHMENT_CONTENT_TYPE_URL, AttachmentContentType.ATTACHMENT_CONTENT_TYPE_IMAGE);
    }

    @Test
    void aFullIntentIsReadIntoRecords() {
        Flow flow = FlowLoader.parse(withIntents("""
                  - name: booking
                    keywords: [book, table]
                    patterns: ['reserv(e|ation)']
                    reply:
                      text: Book here.
                      attachments:
                        - title: Booking
                          preview_image_url: https://example.com/thumb.png
                          content_url: https://example.com/book
                          content_type: ATTACHMENT_CONTENT_TYPE_URL
                          call_to_action_text: Choose a time
                      suggestions: [Opening hours, "2"]
                """));

        Intent intent = flow.intents().get(0);
        assertThat(intent.name()).isEqualTo("booking");
        assertThat(intent.keywords()).containsExactly("book", "table");
        assertThat(intent.patterns()).extracting(Object::toString).containsExactly("reserv(e|ation)");
        assertThat(intent.action()).isEqualTo(Intent.Action.NONE);
        assertThat(intent.reply().attachments()).singleElement().satisfies(card -> {
            assertThat(card.title()).isEqualTo("Booking");
            assertThat(card.contentUrl()).isEqualTo("https://example.com/book");
            assertThat(card.callToActionText()).isEqualTo("Choose a time");
        });
        assertThat(intent.reply().suggestions()).containsExactly(Suggestion.of("Opening hours"), Suggestion.of("2"));
    }

    @Test
    void aFlowWithoutIntentsAlwaysFallsBack() {
        Flow flow = FlowLoader.parse(HEAD);

        assertThat(flow.intents()).isEmpty();
        assertThat(flow.fallback().text()).isEqualTo("Sorry?");
    }

    @Test
    void aFileIsLoadedFromDiskAndItsErrorsNameTheFile(@TempDir Path dir) throws Exception {
        Path good = Files.writeString(dir.resolve("good.yaml"), HEAD);
        Path bad = Files.writeString(dir.resolve("bad.yaml"), HEAD + "colour: blue\n");

        assertThat(FlowLoader.load(good).agent().name()).isEqualTo("Ada");
        assertThatThrownBy(() -> FlowLoader.load(bad)).hasMessageStartingWith(bad + ": flow: unknown key \"colour\"");
        assertThatThrownBy(() -> FlowLoader.load(dir.resolve("missing.yaml")))
                .isInstanceOf(FlowException.class).hasMessageContaining("cannot read flow file");
    }

    @Test
    void brokenYamlIsReportedWithItsLine() {
        assertThatThrownBy(() -> FlowLoader.parse(HEAD + "intents: [\n"))
                .isInstanceOf(FlowException.class).hasMessageStartingWith("invalid YAML: ").hasMessageContaining("line ");
    }

    @Test
    void anEmptyFileIsRejected() {
        assertRejected("", "flow: is empty");
    }

    @Test
    void aRepeatedKeyIsRejected() {
        assertThatThrownBy(() -> FlowLoader.parse(HEAD + "greeting:\n  text: Again\n"))
                .isInstanceOf(FlowException.class).hasMessageContaining("Duplicate field 'greeting'");
    }

    @Test
    void unknownTopLevelKeysAreRejected() {
        assertRejected(HEAD + "colour: blue\n",
                "flow: unknown key \"colour\" (allowed: agent, greeting, intents, fallback)");
    }

    @Test
    void unknownIntentKeysNameTheIntent() {
        assertRejected(withIntents("  - {name: hours, keyword: [hours], reply: {text: Nine to five.}}"),
                "intent \"hours\": unknown key \"keyword\" (allowed: name, keywords, patterns, reply, action, handoff, language)");
    }

    @Test
    void unknownReplyKeysNameTheirPlace() {
        assertRejected(withIntents("  - {name: hours, keywords: [hours], reply: {txt: Nine to five.}}"),
                "intent \"hours\": reply: unknown key \"txt\" (allowed: text, attachments, suggestions, chat_call_actions, end_conversation, translations)");
    }

    @Test
    void requiredTopLevelFieldsAreChecked() {
        assertRejected(HEAD.replace("fallback:\n  text: Sorry?\n", ""), "flow: missing required field \"fallback\"");
        assertRejected(HEAD.replace("  name: Ada\n", ""), "agent: missing required field \"name\"");
        assertRejected(HEAD.replace("text: Hello", "suggestions: [Hi]"), "greeting: missing required field \"text\"");
    }

    @Test
    void blankTextsAreRejected() {
        assertRejected(HEAD.replace("text: Hello", "text: '  '"), "greeting: text: must not be blank");
    }

    @Test
    void anIntentWithoutNameIsNamedByPosition() {
        assertRejected(withIntents("  - {name: hours, keywords: [hours], reply: {text: Nine.}}",
                        "  - {keywords: [price], reply: {text: Cheap.}}"),
                "intent #2: missing required field \"name\"");
    }

    @Test
    void intentNamesMustBeUnique() {
        assertRejected(withIntents("  - {name: hours, keywords: [hours], reply: {text: Nine.}}",
                        "  - {name: hours, keywords: [open], reply: {text: Nine.}}"),
                "intent \"hours\": duplicate intent name");
    }

    @Test
    void anIntentNeedsAKeywordOrAPattern() {
        assertRejected(withIntents("  - {name: hours, keywords: [], reply: {text: Nine.}}"),
                "intent \"hours\": needs at least one keyword or pattern");
    }

    @Test
    void aKeywordWithNothingToMatchIsRejectedInsteadOfMatchingEverything() {
        assertRejected(withIntents("  - {name: hours, keywords: [hours, \"\\u0007\"], reply: {text: Nine.}}"),
                "intent \"hours\": keywords[1]: has no character to match");
    }

    @Test
    void keywordsMustBeAList() {
        assertRejected(withIntents("  - {name: hours, keywords: hours, reply: {text: Nine.}}"),
                "intent \"hours\": keywords: must be a list");
    }

    @Test
    void aRegexThatDoesNotCompileIsNamedWithItsIntent() {
        assertThatThrownBy(() -> FlowLoader.parse(withIntents("  - {name: hours, patterns: ['(['], reply: {text: Nine.}}")))
                .isInstanceOf(FlowException.class)
                .hasMessageStartingWith("intent \"hours\": regex \"([\" does not compile: ");
    }

    @Test
    void anIntentWithoutActionNeedsAReply() {
        assertRejected(withIntents("  - {name: hours, keywords: [hours]}"),
                "intent \"hours\": missing required field \"reply\"");
    }

    @Test
    void anEndIntentMayGoWithoutReply() {
        Flow flow = FlowLoader.parse(withIntents("  - {name: bye, keywords: [bye], action: end}"));

        assertThat(flow.intents().get(0).reply()).isNull();
        assertThat(flow.intents().get(0).action()).isEqualTo(Intent.Action.END);
    }

    @Test
    void unknownActionsAreRejected() {
        assertRejected(withIntents("  - {name: bye, keywords: [bye], action: stop}"),
                "intent \"bye\": action: \"stop\" is not one of none, end, handoff");
    }

    @Test
    void aHandoffActionNeedsAHandoffSection() {
        assertRejected(withIntents("  - {name: human, keywords: [human], action: handoff}"),
                "intent \"human\": missing required field \"handoff\"");
    }

    @Test
    void aHandoffSectionNeedsTheHandoffAction() {
        assertRejected(withIntents(
                        "  - {name: bye, keywords: [bye], action: end, handoff: {reason: POLICY, queue: support}}"),
                "intent \"bye\": handoff: is only allowed with action: handoff");
    }

    @Test
    void handoffReasonsAreLimitedToTheProtocolOnes() {
        assertRejected(withIntents(
                        "  - {name: human, keywords: [human], action: handoff, handoff: {reason: BORED, queue: support}}"),
                "intent \"human\": handoff.reason: \"BORED\" is not one of COMPLEX_QUERY, AGENT_DECISION, POLICY");
    }

    @Test
    void aHandoffNeedsAQueue() {
        assertRejected(withIntents(
                        "  - {name: human, keywords: [human], action: handoff, handoff: {reason: POLICY}}"),
                "intent \"human\": handoff: missing required field \"queue\"");
    }

    @Test
    void attachmentContentTypesAreLimitedToTheProtocolOnes() {
        assertRejected(withIntents("  - {name: menu, keywords: [menu], reply: {text: Menu., attachments: "
                        + "[{title: Menu, content_url: 'https://example.com/m.jpg', content_type: IMAGE}]}}"),
                "intent \"menu\": reply.attachments[0].content_type: \"IMAGE\" is not one of "
                        + "ATTACHMENT_CONTENT_TYPE_URL, ATTACHMENT_CONTENT_TYPE_IMAGE");
    }

    @Test
    void attachmentUrlsMustBeHttpOrHttps() {
        assertRejected(withIntents("  - {name: menu, keywords: [menu], reply: {text: Menu., attachments: "
                        + "[{title: Menu, content_url: 'ftp://example.com/m.jpg', "
                        + "content_type: ATTACHMENT_CONTENT_TYPE_IMAGE}]}}"),
                "intent \"menu\": reply.attachments[0].content_url: must be an http or https URL or a path on this server (/…), "
                        + "got \"ftp://example.com/m.jpg\"");
        assertRejected(withIntents("  - {name: menu, keywords: [menu], reply: {text: Menu., attachments: "
                        + "[{title: Menu, content_url: 'https://example.com/m.jpg', preview_image_url: thumb.png, "
                        + "content_type: ATTACHMENT_CONTENT_TYPE_IMAGE}]}}"),
                "intent \"menu\": reply.attachments[0].preview_image_url: must be an http or https URL or a path on this server (/…), "
                        + "got \"thumb.png\"");
    }

    @Test
    void attachmentsNeedATitle() {
        assertRejected(withIntents("  - {name: menu, keywords: [menu], reply: {text: Menu., attachments: "
                        + "[{content_url: 'https://example.com/m.jpg', content_type: ATTACHMENT_CONTENT_TYPE_IMAGE}]}}"),
                "intent \"menu\": reply.attachments[0]: missing required field \"title\"");
    }

    @Test
    void theAvatarUrlMustBeHttpOrHttps() {
        assertRejected(HEAD.replace("https://example.com/ada.png", "javascript:alert(1)"),
                "agent.avatar_url: must be an http or https URL or a path on this server (/…), got \"javascript:alert(1)\"");
    }

    @Test
    void aFlowWithoutAnAvatarIsAccepted() {
        Flow flow = FlowLoader.parse(withIntents("  - {name: hours, keywords: [hours], reply: {text: Nine to five.}}")
                .replace("  avatar_url: https://example.com/ada.png\n", ""));

        assertThat(flow.agent().name()).isEqualTo("Ada");
        assertThat(flow.agent().avatarUrl()).isNull();
    }

    @Test
    void urlsMayBePathsOnThisServerButNotOtherHostsWithoutAScheme() {
        Flow flow = FlowLoader.parse(HEAD.replace("https://example.com/ada.png", "/widget/assets/ada.svg")
                + "intents: []\n");
        assertThat(flow.agent().avatarUrl()).isEqualTo("/widget/assets/ada.svg");

        for (String url : List.of("//evil.example/a.png", "/\\\\evil.example/a.png", "ada.svg")) {
            assertThatThrownBy(() -> FlowLoader.parse(HEAD.replace("https://example.com/ada.png", "'" + url + "'")))
                    .isInstanceOf(FlowException.class).hasMessageContaining("agent.avatar_url: must be");
        }
    }
}
