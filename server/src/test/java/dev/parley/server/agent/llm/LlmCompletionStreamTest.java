package dev.parley.server.agent.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.server.agent.llm.CompletionStream.StreamException;
import dev.parley.server.agent.llm.CompletionStream.ToolCall;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SSE reader on its own: event framing, ignored lines, tool-call accumulation, errors. */
class LlmCompletionStreamTest {
    private final List<String> deltas = new ArrayList<>();
    private int toolActivity;
    private final CompletionStream stream = new CompletionStream(new CompletionStream.Listener() {
        @Override
        public void content(String delta) {
            deltas.add(delta);
        }

        @Override
        public void toolActivity() {
            toolActivity++;
        }
    });

    private void feed(String... lines) throws StreamException {
        for (String line : lines) {
            stream.line(line);
        }
    }

    @Test
    void recordedTranscriptGivesItsDeltasAndStopsAtDone() throws StreamException {
        feed(FakeLlmServer.resource("llm/text.sse").split("\n", -1));
        stream.end();

        assertThat(String.join("", deltas)).isEqualTo(FakeLlmServer.transcriptText("text"));
        assertThat(stream.done()).isTrue();
        assertThat(stream.finishReason()).isEqualTo("stop");
        assertThat(stream.toolCalls()).isEmpty();
    }

    @Test
    void commentsEventIdAndRetryLinesAreIgnoredAndDataWithoutASpaceIsRead() throws StreamException {
        feed(": ping", "", "event: message", "id: 7", "retry: 1000",
                "data:{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}", "");
        assertThat(deltas).containsExactly("Hi");
    }

    @Test
    void eventsAreDispatchedAtTheBlankLineAndALastUnterminatedOneAtTheEnd() throws StreamException {
        feed("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}");
        assertThat(deltas).isEmpty();
        feed("", "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"b\"},\"finish_reason\":\"stop\"}]}");
        assertThat(deltas).containsExactly("a");
        stream.end();
        assertThat(deltas).containsExactly("a", "b");
        assertThat(stream.done()).isFalse();
        assertThat(stream.finishReason()).isEqualTo("stop");
    }

    @Test
    void parallelToolCallsAreAccumulatedPerIndex() throws StreamException {
        feed("data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":["
                        + "{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"suggest_replies\",\"arguments\":\"{\\\"opt\"}},"
                        + "{\"index\":1,\"id\":\"call_2\",\"type\":\"function\",\"function\":{\"name\":\"end_conversation\",\"arguments\":\"\"}}]}}]}", "",
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"{}\"}}]}}]}", "",
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"ions\\\":[\\\"Yes\\\"]}\"}}]}}]}", "",
                "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3}}", "",
                "data: [DONE]", "");

        assertThat(stream.toolCalls()).containsExactly(
                new ToolCall(0, "call_1", "suggest_replies", "{\"options\":[\"Yes\"]}"),
                new ToolCall(1, "call_2", "end_conversation", "{}"));
        assertThat(toolActivity).isEqualTo(3);
        assertThat(deltas).isEmpty();
    }

    @Test
    void linesAfterDoneAreIgnored() throws StreamException {
        feed("data: [DONE]", "", "data: not json", "");
        assertThat(stream.done()).isTrue();
    }

    @Test
    void malformedChunksAndProviderErrorsFailTheStream() {
        assertThatThrownBy(() -> feed("data: {not json", "")).isInstanceOf(StreamException.class)
                .hasMessageContaining("not a JSON chunk");
        CompletionStream other = new CompletionStream(silentListener());
        assertThatThrownBy(() -> {
            other.line("data: {\"error\":{\"message\":\"context length exceeded\"}}");
            other.line("");
        }).isInstanceOf(StreamException.class).hasMessageContaining("context length exceeded");
    }

    private static CompletionStream.Listener silentListener() {
        return new CompletionStream.Listener() {
            @Override
            public void content(String delta) {
            }

            @Override
            public void toolActivity() {
            }
        };
    }
}
