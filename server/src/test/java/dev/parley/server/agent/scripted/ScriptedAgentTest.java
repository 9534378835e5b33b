package dev.parley.server.agent.scripted;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.Attachment;
import dev.parley.protocol.AttachmentContentType;
import dev.parley.protocol.EndReason;
import dev.parley.protocol.ErrorMessages;
import dev.parley.protocol.HandoffReason;
import dev.parley.protocol.Suggestion;
import dev.parley.server.agent.AgentProfile;
import dev.parley.server.agent.Conversation;
import dev.parley.server.agent.HandoffRequest;
import dev.parley.server.agent.RecordingReplySink;
import dev.parley.server.agent.ReplySink;
import dev.parley.server.agent.RecordingReplySink.Complete;
import dev.parley.server.agent.RecordingReplySink.End;
import dev.parley.server.agent.RecordingReplySink.Fail;
import dev.parley.server.agent.RecordingReplySink.Handoff;
import dev.parley.server.agent.RecordingReplySink.Text;
import dev.parley.server.time.ManualScheduler;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ScriptedAgentTest {
    private static final Duration DELAY = Duration.ofMillis(40);
    private static final String GREETING = "Hi, I'm Ada. How can I help you today?";
    private static final Attachment CARD = new Attachment("Book a table", "https://example.com/thumb.png",
            "https://example.com/book", AttachmentContentType.ATTACHMENT_CONTENT_TYPE_URL, "Choose a time");
    private static final Reply BOOKING = new Reply("You can book a table on our website, any day but Monday.",
            List.of(CARD), List.of(Suggestion.of("Opening hours")));
    private static final HandoffRequest TO_SUPPORT = new HandoffRequest(HandoffReason.COMPLEX_QUERY, "support");
    private static final Flow FLOW = new Flow(
            new AgentProfile("Ada", "https://example.com/ada.png"),
            new Reply(GREETING, List.of(), List.of(Suggestion.of("Book a table"))),
            List.of(
                    new Intent("booking", List.of("book"), List.of(), BOOKING, Intent.Action.NONE, null),
                    new Intent("human", List.of(), List.of(Pattern.compile("human")),
                            Reply.of("Let me connect you with a person."), Intent.Action.HANDOFF, TO_SUPPORT),
                    new Intent("bye", List.of("bye"), List.of(), Reply.of("Goodbye!"), Intent.Action.END, null),
                    new Intent("quit", List.of("quit"), List.of(), null, Intent.Action.END, null)),
            new Reply("Sorry, I didn't catch that.", List.of(), List.of(Suggestion.of("Book a table"))));

    private final ManualScheduler scheduler = new ManualScheduler();
    private final RecordingReplySink sink = new RecordingReplySink();

    private static Conversation conversation(boolean streaming) {
        return new Conversation("ses_1", "con_1", "web", streaming, List.of());
    }

    private ScriptedAgent agent(Duration chunkDelay) {
        return new ScriptedAgent(FLOW, scheduler, chunkDelay);
    }

    @Test
    void profileComesFromTheFlow() {
        assertThat(agent(DELAY).profile()).isEqualTo(new AgentProfile("Ada", "https://example.com/ada.png"));
    }

    @Test
    void greetingIsOneWholeMessageWhenNotStreaming() {
        agent(DELAY).greet(conversation(false), sink);

        sink.assertNext(new Text(GREETING))
                .assertNext(new Complete(List.of(), List.of(Suggestion.of("Book a table"))))
                .assertNoMore();
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void aMatchedIntentAnswersWithItsReplyAttachmentsAndSuggestions() {
        agent(DELAY).reply(conversation(false), "Can I BOOK for tonight?", sink);

        sink.assertNext(new Text(BOOKING.text()))
                .assertNext(new Complete(List.of(CARD), List.of(Suggestion.of("Opening hours"))))
                .assertNoMore();
    }

    @Test
    void anUnmatchedMessageGetsTheFallback() {
        agent(DELAY).reply(conversation(false), "Do you deliver?", sink);

        sink.assertNext(new Text("Sorry, I didn't catch that."))
                .assertNext(new Complete(List.of(), List.of(Suggestion.of("Book a table"))))
                .assertNoMore();
    }

    @Test
    void theEndActionComesAfterTheCompletedReply() {
        agent(DELAY).reply(conversation(false), "bye", sink);

        sink.assertNext(new Text("Goodbye!"))
                .assertNext(new Complete(List.of(), List.of()))
                .assertNext(new End(EndReason.REASON_NATURAL_END))
                .assertNoMore();
    }

    @Test
    void anEndIntentWithoutReplyJustEnds() {
        agent(DELAY).reply(conversation(true), "quit", sink);

        sink.assertNext(new End(EndReason.REASON_NATURAL_END)).assertNoMore();
    }

    @Test
    void theHandoffActionAsksForTheFlowsQueueAfterTheReply() {
        agent(DELAY).reply(conversation(false), "A human, please", sink);

        sink.assertNext(new Text("Let me connect you with a person."))
                .assertNext(new Complete(List.of(), List.of()))
                .assertNext(new Handoff(TO_SUPPORT))
                .assertNoMore();
    }

    @Test
    void streamingSplitsTheTextIntoSeveralDeltasThatAddUpToIt() {
        agent(Duration.ZERO).reply(conversation(true), "book", sink);

        assertThat(sink.deltas()).hasSizeGreaterThan(2);
        assertThat(String.join("", sink.deltas())).isEqualTo(BOOKING.text());
        assertThat(sink.calls()).last()
                .isEqualTo(new Complete(List.of(CARD), List.of(Suggestion.of("Opening hours"))));
        assertThat(sink.calls()).filteredOn(Complete.class::isInstance).hasSize(1);
    }

    @Test
    void withoutADelayTheWholeStreamIsWrittenBeforeReplyReturns() {
        agent(Duration.ZERO).greet(conversation(true), sink);

        assertThat(String.join("", sink.deltas())).isEqualTo(GREETING);
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void withADelayOnlyTheFirstDeltaIsWrittenUntilTimeMoves() {
        agent(DELAY).greet(conversation(true), sink);

        assertThat(sink.calls()).singleElement().isEqualTo(new Text("Hi, I'm Ada."));

        scheduler.advance(DELAY.minusMillis(1));
        assertThat(sink.calls()).hasSize(1);

        scheduler.advance(Duration.ofMillis(1));
        sink.assertNext(new Text("Hi, I'm Ada.")).assertNext(new Text(" How can I")).assertNoMore();

        scheduler.advance(DELAY.multipliedBy(10));
        sink.assertNext(new Text(" help you today?"))
                .assertNext(new Complete(List.of(), List.of(Suggestion.of("Book a table"))))
                .assertNoMore();
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void aStreamedHandoffWaitsForTheLastDelta() {
        agent(DELAY).reply(conversation(true), "human", sink);

        assertThat(sink.calls()).doesNotHaveAnyElementsOfTypes(Handoff.class);

        scheduler.advance(DELAY.multipliedBy(10));
        assertThat(String.join("", sink.deltas())).isEqualTo("Let me connect you with a person.");
        assertThat(sink.calls().subList(sink.calls().size() - 2, sink.calls().size()))
                .containsExactly(new Complete(List.of(), List.of()), new Handoff(TO_SUPPORT));
    }

    @Test
    void aSinkFailingMidStreamIsReportedAsTheDocumentedStreamError() {
        agent(DELAY).greet(conversation(true), new ThrowsOnSecondDelta(sink));

        scheduler.advance(DELAY);

        assertThat(sink.calls()).last().isInstanceOfSatisfying(Fail.class,
                fail -> assertThat(fail.userMessage()).isEqualTo(ErrorMessages.STREAM_FAILED));
    }

    /** Passes calls on, but breaks on the second delta, as a buggy session might. */
    private static final class ThrowsOnSecondDelta implements ReplySink {
        private final ReplySink delegate;
        private int deltas;

        ThrowsOnSecondDelta(ReplySink delegate) {
            this.delegate = delegate;
        }

        @Override
        public void text(String delta) {
            if (++deltas == 2) {
                throw new IllegalStateException("broken");
            }
            delegate.text(delta);
        }

        @Override
        public void complete(List<Attachment> attachments, List<Suggestion> suggestions) {
            delegate.complete(attachments, suggestions);
        }

        @Override
        public void language(String languageCode) {
            delegate.language(languageCode);
        }

        @Override
        public void handoff(HandoffRequest request) {
            delegate.handoff(request);
        }

        @Override
        public void end(EndReason reason) {
            delegate.end(reason);
        }

        @Override
        public void fail(String userMessage, Throwable cause) {
            delegate.fail(userMessage, cause);
        }
    }

    @Test
    void theTurnIsOverOnlyWhenTheLastDeltaAndTheActionAreWritten() {
        var done = agent(DELAY).reply(conversation(true), "I need a human", sink).toCompletableFuture();
        assertThat(done).isNotDone();

        scheduler.advance(DELAY.multipliedBy(20));

        assertThat(done).isCompleted();
        assertThat(sink.calls().get(sink.calls().size() - 1)).isEqualTo(new Handoff(TO_SUPPORT));
    }

    @Test
    void aWholeReplyIsOverAtOnce() {
        assertThat(agent(DELAY).reply(conversation(false), "Do you deliver?", sink).toCompletableFuture()).isCompleted();
    }
}
