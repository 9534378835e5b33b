package dev.parley.server.cli;

import dev.parley.server.operator.TranscriptFormat;
import dev.parley.server.operator.Transcripts;
import dev.parley.server.store.ConnectorStore;
import dev.parley.server.store.ErasureRecord;
import dev.parley.server.store.NodeStore;
import dev.parley.server.store.OperatorStore;
import dev.parley.server.store.SessionRecord;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code parley admin session transcript|erase}: one conversation's transcript, or its erasure (issue 14). */
@Command(name = "session", mixinStandardHelpOptions = true, description = "Export or erase conversations.",
        subcommands = {SessionCommand.Transcript.class, SessionCommand.Erase.class})
final class SessionCommand {

    @Command(name = "transcript", mixinStandardHelpOptions = true, description = "Print a conversation's transcript.")
    static final class Transcript extends ConnectorCommand.StoreTask {
        @Parameters(paramLabel = "ID", description = "Session id.")
        String id;
        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
                description = "json, text or html (default ${DEFAULT-VALUE}).")
        String format;

        Transcript(CliContext context) {
            super(context);
        }

        @Override
        int run(ConnectorStore store, PrintWriter out, PrintWriter err) {
            Optional<TranscriptFormat> chosen = TranscriptFormat.parse(format);
            if (chosen.isEmpty()) {
                err.println("error: --format must be json, text or html");
                return ParleyCommand.USAGE;
            }
            NodeStore node = OperatorCli.node(store);
            Optional<String> transcript = new Transcripts(node.operators(), node, node, node.notes()).export(id, chosen.get());
            if (transcript.isEmpty()) {
                Optional<ErasureRecord> erased = node.operators().findErasure(id);
                err.println(erased.map(e -> "error: session " + id + " was erased at " + e.erasedAt() + " by " + e.erasedBy())
                        .orElse("error: no session with id " + id));
                return ParleyCommand.NOT_FOUND;
            }
            out.print(transcript.get());
            out.flush();
            return ParleyCommand.OK;
        }
    }

    @Command(name = "erase", mixinStandardHelpOptions = true,
            description = "Erase a conversation's content everywhere, leaving an audit record (who, when, session id).")
    static final class Erase extends ConnectorCommand.StoreTask {
        @Parameters(paramLabel = "ID", description = "Session id.")
        String id;

        Erase(CliContext context) {
            super(context);
        }

        @Override
        int run(ConnectorStore store, PrintWriter out, PrintWriter err) {
            NodeStore node = OperatorCli.node(store);
            OperatorStore operators = node.operators();
            Optional<ErasureRecord> already = operators.findErasure(id);
            if (already.isPresent()) {
                out.println("Session " + id + " was already erased at " + already.get().erasedAt()
                        + " by " + already.get().erasedBy());
                return ParleyCommand.OK;
            }
            Optional<SessionRecord> session = node.findSession(id);
            if (session.isEmpty()) {
                err.println("error: no session with id " + id);
                return ParleyCommand.NOT_FOUND;
            }
            String by = "cli:" + System.getProperty("user.name", "unknown");
            operators.erase(new ErasureRecord(id, session.get().connectorId(), context.clock().instant(), by));
            out.println("Erased session " + id);
            if (!session.get().ended()) {
                // This process cannot reach the session's actor; the node running it sees the erasure.
                out.println("It was still open: a running node closes its sockets within about a second."
                        + " Erase through the operator API to end it first.");
            }
            return ParleyCommand.OK;
        }
    }
}
