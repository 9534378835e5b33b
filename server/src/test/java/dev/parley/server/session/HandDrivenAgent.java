package dev.parley.server.session;

import dev.parley.server.agent.Agent;
import dev.parley.server.agent.AgentProfile;
import dev.parley.server.agent.Conversation;
import dev.parley.server.agent.ReplySink;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An agent whose replies the test writes by hand, holding each turn open until told; greets at once. */
final class HandDrivenAgent implements Agent {
    final BlockingQueue<ReplySink> sinks = new LinkedBlockingQueue<>();
    final BlockingQueue<CompletableFuture<Void>> turns = new LinkedBlockingQueue<>();
    final List<String> asked = new CopyOnWriteArrayList<>();

    @Override
    public AgentProfile profile() {
        return new AgentProfile("Hand", "https://example.com/h.png");
    }

    @Override
    public CompletionStage<Void> greet(Conversation c, ReplySink sink) {
        sink.message("hello", List.of(), List.of());
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> reply(Conversation c, String text, ReplySink sink) {
        asked.add(text);
        CompletableFuture<Void> turn = new CompletableFuture<>();
        sinks.add(sink);
        turns.add(turn);
        return turn;
    }

    /** The sink of the next turn asked, within 10 s. */
    ReplySink nextSink() throws InterruptedException {
        ReplySink sink = sinks.poll(10, TimeUnit.SECONDS);
        if (sink == null) {
            throw new AssertionError("the agent was not asked within 10 s");
        }
        return sink;
    }

    /** Answers the next turn asked with one whole message and ends the turn. */
    void answerNext(String text) throws InterruptedException {
        ReplySink sink = nextSink();
        sink.message(text, List.of(), List.of());
        turns.poll(10, TimeUnit.SECONDS).complete(null);
    }
}
