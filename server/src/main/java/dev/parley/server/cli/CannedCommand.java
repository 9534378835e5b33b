package dev.parley.server.cli;

import dev.parley.server.desk.canned.CannedReplies;
import dev.parley.server.desk.canned.CannedReply;
import dev.parley.server.desk.canned.InvalidCannedReplyException;
import dev.parley.server.desk.canned.ShortcutTakenException;
import dev.parley.server.store.ConnectorStore;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code parley admin canned add|list|edit|remove}: the canned replies a connector's team shares per queue.
 * Queues are checked against the desk's queues in the configuration the command runs under (the same file and
 * environment as {@code serve}). Running nodes read the store on every desk request, so nothing needs restarting.
 */
@Command(name = "canned", mixinStandardHelpOptions = true, description = "Manage the desk's canned replies.",
        subcommands = {CannedCommand.Add.class, CannedCommand.ListAll.class, CannedCommand.Edit.class,
                CannedCommand.Remove.class})
final class CannedCommand {
    private CannedCommand() {
    }

    /** The rules over the opened store, with the configured desk's queues. */
    abstract static class CannedTask extends ConnectorCommand.StoreTask {
        CannedTask(CliContext context) {
            super(context);
        }

        @Override
        final int run(ConnectorStore store, PrintWriter out, PrintWriter err) {
            CannedReplies replies = new CannedReplies(OperatorCli.node(store).cannedReplies(),
                    config.desk().queues().stream().map(dev.parley.server.desk.QueueSettings::name)
                            .collect(java.util.stream.Collectors.toSet()), context.clock(), context.random());
            try {
                return run(store, replies, out, err);
            } catch (InvalidCannedReplyException | ShortcutTakenException e) {
                err.println("error: " + e.getMessage());
                return ParleyCommand.USAGE;
            }
        }

        abstract int run(ConnectorStore store, CannedReplies replies, PrintWriter out, PrintWriter err);
    }

    /** Exactly one of them: a reply belongs to one queue or to all of them. */
    static final class Where {
        @Option(names = "--queue", required = true, paramLabel = "QUEUE", description = "The queue whose agents use it.")
        String queue;
        @Option(names = "--all-queues", required = true, description = "Usable in every queue of the connector.")
        boolean allQueues;
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a canned reply and print its id.")
    static final class Add extends CannedTask {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Where where;
        @Option(names = "--shortcut", required = true, paramLabel = "SLUG",
                description = "What agents type after '/', e.g. refund (lower-case letters, digits, '-', '_').")
        String shortcut;
        @Option(names = "--title", required = true, paramLabel = "TITLE", description = "Shown in the desk's list.")
        String title;
        @Option(names = "--text", required = true, paramLabel = "TEXT",
                description = "Up to 4000 characters; may use {{customer.name}}, {{customer.<field>}}, {{agent.name}}, {{queue}}.")
        String text;
        @Option(names = "--connector", paramLabel = "ID", defaultValue = "con_demo",
                description = "Connector whose team uses it (default ${DEFAULT-VALUE}).")
        String connector;

        Add(CliContext context) {
            super(context);
        }

        @Override
        int run(ConnectorStore store, CannedReplies replies, PrintWriter out, PrintWriter err) {
            if (store.findConnector(connector).isEmpty()) {
                err.println("error: no connector with id " + connector);
                return ParleyCommand.USAGE;
            }
            CannedReply r = replies.create(connector, where.allQueues ? null : where.queue.strip(), shortcut, title, text);
            out.println("Added canned reply /" + r.shortcut() + " (" + r.title() + ") for " + queueName(r)
                    + " of connector " + r.connectorId());
            out.println(r.id());
            return ParleyCommand.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List canned replies.")
    static final class ListAll extends CannedTask {
        private static final String ROW = "%-28s %-12s %-16s %-24s %s%n";
        @Option(names = "--queue", paramLabel = "QUEUE", description = "Only those usable in this queue (its own and all-queue ones).")
        String queue;
        @Option(names = "--connector", paramLabel = "ID", defaultValue = "con_demo", description = "Connector (default ${DEFAULT-VALUE}).")
        String connector;

        ListAll(CliContext context) {
            super(context);
        }

        @Override
        int run(ConnectorStore store, CannedReplies replies, PrintWriter out, PrintWriter err) {
            List<CannedReply> list = replies.of(connector).stream().filter(r -> queue == null || r.usableIn(queue)).toList();
            if (list.isEmpty()) {
                out.println("No canned replies.");
                return ParleyCommand.OK;
            }
            out.printf(ROW, "ID", "QUEUE", "SHORTCUT", "TITLE", "TEXT");
            for (CannedReply r : list) {
                out.printf(ROW, r.id(), r.allQueues() ? "(all)" : r.queue(), "/" + r.shortcut(), r.title(), preview(r.text()));
            }
            return ParleyCommand.OK;
        }

        private static String preview(String text) {
            String line = text.replaceAll("\\s+", " ").strip();
            return line.length() > 60 ? line.substring(0, 59) + "…" : line;
        }
    }

    @Command(name = "edit", mixinStandardHelpOptions = true, description = "Change a canned reply's text, title or shortcut.")
    static final class Edit extends CannedTask {
        @Parameters(paramLabel = "ID", description = "Canned reply id, e.g. cr_...")
        String id;
        @Option(names = "--text", paramLabel = "TEXT", description = "New text.")
        String text;
        @Option(names = "--title", paramLabel = "TITLE", description = "New title.")
        String title;
        @Option(names = "--shortcut", paramLabel = "SLUG", description = "New shortcut.")
        String shortcut;

        Edit(CliContext context) {
            super(context);
        }

        @Override
        int run(ConnectorStore store, CannedReplies replies, PrintWriter out, PrintWriter err) {
            if (text == null && title == null && shortcut == null) {
                err.println("error: nothing to change: give --text, --title or --shortcut");
                return ParleyCommand.USAGE;
            }
            Optional<CannedReply> found = OperatorCli.node(store).cannedReplies().find(id)
                    .flatMap(r -> replies.edit(r.connectorId(), id, CannedReplies.Changes.of(shortcut, title, text)));
            if (found.isEmpty()) {
                err.println("error: no canned reply with id " + id);
                return ParleyCommand.USAGE;
            }
            out.println("Updated canned reply " + id + " (/" + found.get().shortcut() + ")");
            return ParleyCommand.OK;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a canned reply.")
    static final class Remove extends CannedTask {
        @Parameters(paramLabel = "ID", description = "Canned reply id, e.g. cr_...")
        String id;

        Remove(CliContext context) {
            super(context);
        }

        @Override
        int run(ConnectorStore store, CannedReplies replies, PrintWriter out, PrintWriter err) {
            if (!OperatorCli.node(store).cannedReplies().remove(id)) {
                err.println("error: no canned reply with id " + id);
                return ParleyCommand.USAGE;
            }
            out.println("Removed canned reply " + id);
            return ParleyCommand.OK;
        }
    }

    private static String queueName(CannedReply r) {
        return r.allQueues() ? "every queue" : "queue " + r.queue();
    }
}
