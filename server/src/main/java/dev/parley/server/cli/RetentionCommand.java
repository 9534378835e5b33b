package dev.parley.server.cli;

import dev.parley.server.store.ConnectorStore;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code parley admin connector retention ID --days N | --off | --show}: how long the connector's
 * ended conversations are kept. Every node's retention sweep (every 15 minutes) erases those that
 * ended longer ago, each leaving an audit record ({@code erased_by: retention}).
 */
@Command(name = "retention", mixinStandardHelpOptions = true,
        description = "Set how many days a connector's ended conversations are kept before they are erased.")
final class RetentionCommand extends ConnectorCommand.StoreTask {
    /** Ten years: beyond that "keep forever" (--off) is what is meant. */
    private static final int MAX_DAYS = 3650;

    @Parameters(paramLabel = "ID", description = "Connector id, e.g. con_...")
    String id;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Choice choice;

    static final class Choice {
        @picocli.CommandLine.Option(names = "--days", paramLabel = "N", description = "Keep ended conversations N days (1-3650).")
        Integer days;
        @picocli.CommandLine.Option(names = "--off", description = "Keep ended conversations without limit.")
        boolean off;
        @picocli.CommandLine.Option(names = "--show", description = "Print the current setting.")
        boolean show;
    }

    RetentionCommand(CliContext context) {
        super(context);
    }

    @Override
    int run(ConnectorStore store, PrintWriter out, PrintWriter err) {
        var operators = OperatorCli.operators(store);
        if (store.findConnector(id).isEmpty()) {
            err.println("error: no connector with id " + id);
            return ParleyCommand.NOT_FOUND;
        }
        if (choice.show) {
            Map<String, Integer> all = operators.retentionDays();
            out.println(all.containsKey(id) ? "Connector " + id + " keeps ended conversations " + all.get(id) + " days"
                    : "Connector " + id + " keeps ended conversations without limit");
            return ParleyCommand.OK;
        }
        if (!choice.off && (choice.days < 1 || choice.days > MAX_DAYS)) {
            err.println("error: --days must be between 1 and " + MAX_DAYS);
            return ParleyCommand.USAGE;
        }
        operators.setRetentionDays(id, choice.off ? null : choice.days);
        out.println(choice.off ? "Connector " + id + " keeps ended conversations without limit"
                : "Connector " + id + " keeps ended conversations " + choice.days + " days");
        return ParleyCommand.OK;
    }
}
