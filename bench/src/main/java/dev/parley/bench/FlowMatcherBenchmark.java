package dev.parley.bench;

import dev.parley.server.agent.scripted.FlowLoader;
import dev.parley.server.agent.scripted.FlowMatcher;
import dev.parley.server.agent.scripted.Intent;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The scripted agent's intent matching on the demo flow, once per user message: a short question
 * that an early intent answers, one that only a late intent answers, a pattern match, a long
 * message that matches nothing (the worst case: every word looked up, every pattern run), and
 * non-ASCII text.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FlowMatcherBenchmark {
    @Param({"early", "late", "pattern", "fallback", "unicode"})
    public String message;

    private FlowMatcher matcher;
    private String text;

    @Setup
    public void setUp() {
        matcher = new FlowMatcher(FlowLoader.demo());
        text = switch (message) {
            case "early" -> "OK that's all, thanks!";
            case "late" -> "Hello there, good evening to you";
            case "pattern" -> "Could I please speak to a manager about my booking?";
            case "fallback" -> "I was wondering whether you deliver to the harbour on Sundays, since my"
                    + " grandmother can't walk far and we'd love to try your famous fish soup at home.";
            case "unicode" -> "Bonjour ! Est-ce que vous êtes ouverts le dimanche ? Ça m’intéresse.";
            default -> throw new IllegalArgumentException(message);
        };
    }

    @Benchmark
    public Optional<Intent> match() {
        return matcher.match(text);
    }
}
