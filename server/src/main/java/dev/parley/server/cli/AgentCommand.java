package dev.parley.server.cli;

import dev.parley.server.desk.DeskAgent;
import dev.parley.server.desk.DeskStore;
import dev.parley.server.desk.Passwords;
import dev.parley.server.store.ConnectorStore;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code parley admin agent create|list}: live-agent accounts. Passwords are stored only as bcrypt hashes. */
@Command(name = "agent", mixinStandardHelpOptions = true, description = "Manage live agents of the desk.",
        subcommands = {AgentCommand.Create.class, AgentCommand.ListAll.class})
final class AgentCommand {

    private static DeskStore deskStore(ConnectorStore store) {
        if (!(store instanceof DeskStore desk)) {
            throw new IllegalStateException("this store keeps no live agents");
        }
        return desk;
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a live agent and print its id. The password is read from the terminal, or stdin.")
    static final class Create extends ConnectorCommand.StoreTask {
        @Option(names = "--name", required = true, paramLabel = "NAME", description = "Log-in name, shown to end users.")
        String name;
        @Option(names = "--queue", required = true, paramLabel = "QUEUE", description = "A queue the agent serves (repeatable).")
        List<String> queues;
        @Option(names = "--capacity", paramLabel = "N", defaultValue = "3",
                description = "Conversations at once (default ${DEFAULT-VALUE}).")
        int capacity;
        @Option(names = "--connector", paramLabel = "ID", defaultValue = "con_demo",
                description = "Connector whose conversations the agent takes (default ${DEFAULT-VALUE}).")
        String connector;
        @Option(names = "--avatar-url", paramLabel = "URL", description = "Avatar shown to end users.")
        String avatarUrl;
        @Option(names = "--supervisor",
                description = "Also a supervisor: sees every queue and agent of the connector, watches, takes over and reassigns.")
        boolean supervisor;
        @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
        boolean passwordStdin;

        Create(CliContext context) {
            super(context);
        }

        @Override
        int run(ConnectorStore store, PrintWriter out, PrintWriter err) {
            DeskStore desk = deskStore(store);
            String problem = problem(store, desk);
            if (problem != null) {
                err.println("error: " + problem);
                return ParleyCommand.USAGE;
            }
            char[] password = readPassword(err);
            if (password == null) {
                return ParleyCommand.USAGE;
            }
            try {
                String hash = new Passwords(context.bcryptCost(), context.random()).hash(password);
                DeskAgent agent = new DeskAgent(newAgentId(), connector, name.strip(), avatarUrl,
                        queues.stream().map(String::strip).distinct().toList(), capacity,
                        supervisor ? DeskAgent.Role.SUPERVISOR : DeskAgent.Role.AGENT);
                desk.createAgent(agent, hash);
                out.println("Created " + (supervisor ? "supervisor " : "live agent ") + agent.id() + " (" + agent.name()
                        + ") for connector " + connector + ", queues " + String.join(", ", agent.queues())
                        + ", capacity " + capacity);
                out.println(agent.id());
                return ParleyCommand.OK;
            } finally {
                Arrays.fill(password, '\0');
            }
        }

        private String problem(ConnectorStore store, DeskStore desk) {
            if (name.isBlank()) return "--name must not be empty";
            if (capacity < 1) return "--capacity must be at least 1";
            if (queues.stream().anyMatch(q -> !q.strip().matches("[A-Za-z0-9_.-]+"))) {
                return "queue names may only use letters, digits, '_', '.' and '-'";
            }
            if (store.findConnector(connector).isEmpty()) return "no connector with id " + connector;
            if (desk.findAgentByName(name.strip()).isPresent()) return "a live agent named " + name.strip() + " exists";
            return null;
        }

        /** The password, or null after telling why there is none. */
        private char[] readPassword(PrintWriter err) {
            Console console = passwordStdin ? null : System.console();
            char[] password;
            if (console != null) {
                char[] first = console.readPassword("Password for %s: ", name);
                char[] second = console.readPassword("Repeat the password: ");
                if (first == null || second == null || !Arrays.equals(first, second)) {
                    err.println("error: the passwords differ");
                    return null;
                }
                Arrays.fill(second, '\0');
                password = first;
            } else {
                password = firstLine();
            }
            if (password == null || password.length == 0) {
                err.println("error: the password must not be empty");
                return null;
            }
            return password;
        }

        private char[] firstLine() {
            try {
                // Not closed: it wraps the process's stdin.
                BufferedReader reader = new BufferedReader(new InputStreamReader(context.stdin(), StandardCharsets.UTF_8));
                String line = reader.readLine();
                return line == null ? null : line.toCharArray();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the password", e);
            }
        }

        private String newAgentId() {
            byte[] bytes = new byte[12];
            context.random().nextBytes(bytes);
            return "agt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List live agents (never their password hashes).")
    static final class ListAll extends ConnectorCommand.StoreTask {
        private static final String ROW = "%-24s %-20s %-16s %-8s %-10s %s%n";

        ListAll(CliContext context) {
            super(context);
        }

        @Override
        int run(ConnectorStore store, PrintWriter out, PrintWriter err) {
            List<DeskAgent> agents = deskStore(store).listAgents();
            if (agents.isEmpty()) {
                out.println("No live agents.");
                return ParleyCommand.OK;
            }
            out.printf(ROW, "ID", "NAME", "CONNECTOR", "CAPACITY", "ROLE", "QUEUES");
            for (DeskAgent a : agents) {
                out.printf(ROW, a.id(), a.name(), a.connectorId(), a.capacity(), a.role().name().toLowerCase(Locale.ROOT),
                        String.join(",", a.queues()));
            }
            return ParleyCommand.OK;
        }
    }
}
