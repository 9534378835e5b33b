package dev.parley.server.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.Attachment;
import dev.parley.protocol.EndReason;
import dev.parley.protocol.Suggestion;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ReplySink} that records every call in order, for tests that read like transcripts:
 * {@code sink.assertNext(new Text("Hi"))} ... {@code sink.assertNoMore()}. Thread-safe.
 */
public final class RecordingReplySink implements ReplySink {

    /** One recorded call. */
    public sealed interface Call permits Text, Complete, Language, Handoff, End, Fail {
    }

    public record Text(String delta) implements Call {
    }

    public record Complete(List<Attachment> attachments, List<Suggestion> suggestions) implements Call {
    }

    public record Language(String languageCode) implements Call {
    }

    public record Handoff(HandoffRequest request) implements Call {
    }

    public record End(EndReason reason) implements Call {
    }

    public record Fail(String userMessage, Throwable cause) implements Call {
    }

    /** Guarded by {@code this}. */
    private final List<Call> calls = new ArrayList<>();
    /** Guarded by {@code this}; index of the next call {@link #assertNext} checks. */
    private int cursor;

    @Override
    public synchronized void text(String delta) {
        calls.add(new Text(delta));
    }

    @Override
    public synchronized void complete(List<Attachment> attachments, List<Suggestion> suggestions) {
        calls.add(new Complete(List.copyOf(attachments), List.copyOf(suggestions)));
    }

    @Override
    public synchronized void language(String languageCode) {
        calls.add(new Language(languageCode));
    }

    @Override
    public synchronized void handoff(HandoffRequest request) {
        calls.add(new Handoff(request));
    }

    @Override
    public synchronized void end(EndReason reason) {
        calls.add(new End(reason));
    }

    @Override
    public synchronized void fail(String userMessage, Throwable cause) {
        calls.add(new Fail(userMessage, cause));
    }

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The text deltas written so far, in order. */
    public synchronized List<String> deltas() {
        return calls.stream().filter(Text.class::isInstance).map(call -> ((Text) call).delta()).toList();
    }

    /** Checks the next unchecked call and moves past it. */
    public synchronized RecordingReplySink assertNext(Call expected) {
        assertThat(cursor).as("a call after %s", calls.subList(0, cursor)).isLessThan(calls.size());
        assertThat(calls.get(cursor++)).isEqualTo(expected);
        return this;
    }

    /** Checks that every recorded call was checked. */
    public synchronized void assertNoMore() {
        assertThat(calls.subList(cursor, calls.size())).as("unchecked calls").isEmpty();
    }
}
