package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.codec.Json;
import dev.parley.server.testing.ParleyTest;
import dev.parley.server.testing.TestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code parley bench} against a real server: every message accounted for, exit code 0. */
@ParleyTest
class BenchCommandTest {
    static TestServer server;

    private static Run bench(String... extra) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Parley.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] args = new String[extra.length + 7];
        args[0] = "bench";
        args[1] = "--url";
        args[2] = server.baseUrl();
        args[3] = "--token";
        args[4] = TestServer.TOKEN;
        args[5] = "--host";
        args[6] = TestServer.HOST;
        System.arraycopy(extra, 0, args, 7, extra.length);
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private record Run(int code, String out, String err) {
    }

    @Test
    void fiveSessionsOfFiveMessagesAllStoredOnceInOrderAndAnswered() throws Exception {
        Run run = bench("--sessions", "5", "--messages", "5", "--rate", "20", "--no-progress", "--json");

        JsonNode report = Json.MAPPER.readTree(run.out());
        assertThat(report.path("problems")).as(run.out() + run.err()).isEmpty();
        assertThat(report.path("sessions_started").asInt()).isEqualTo(5);
        assertThat(report.path("sessions_checked").asInt()).isEqualTo(5);
        assertThat(report.path("sent").asInt()).isEqualTo(25);
        assertThat(report.path("echoed").asInt()).isEqualTo(25);
        assertThat(report.path("failed").asInt()).isZero();
        assertThat(report.path("lost").asInt()).isZero();
        assertThat(report.path("duplicated").asInt()).isZero();
        assertThat(report.path("out_of_order").asInt()).isZero();
        assertThat(report.path("sequence_gaps").asInt()).isZero();
        assertThat(report.path("unanswered").asInt()).isZero();
        assertThat(report.path("latency_ms").path("echo").path("count").asInt()).isEqualTo(25);
        assertThat(report.path("latency_ms").path("reply").path("count").asInt()).isEqualTo(25);
        assertThat(report.path("ok").asBoolean()).isTrue();
        assertThat(run.code()).isZero();
    }

    @Test
    void textReportWithoutStreaming() throws Exception {
        Run run = bench("--sessions", "2", "--messages", "3", "--rate", "20", "--no-streaming", "--no-progress");

        assertThat(run.code()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("machine", "6 sent, 6 echoed, 0 failed", "0 lost, 0 duplicated, 0 out of order",
                "echo (→ SENT)", "agent reply", "OK: every message stored exactly once");
    }
}
