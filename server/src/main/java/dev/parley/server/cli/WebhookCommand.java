package dev.parley.server.cli;

import dev.parley.server.auth.ContextKeySealer;
import dev.parley.server.store.ConnectorStore;
import dev.parley.server.webhooks.DeadLetter;
import dev.parley.server.webhooks.WebhookEventType;
import dev.parley.server.webhooks.WebhookSecrets;
import dev.parley.server.webhooks.WebhookStore;
import dev.parley.server.webhooks.WebhookSubscription;
import dev.parley.server.webhooks.WebhookUrls;
import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code parley admin webhook add|list|remove|dead-letters|retry}: outgoing webhooks (issue 14). The
 * signing secret is printed once, when added, and stored only sealed with the server secret. Running
 * nodes see a new subscription at their next journal append (the outbox rows are chosen in the
 * append's own transaction), so nothing needs restarting.
 */
@Command(name = "webhook", mixinStandardHelpOptions = true, description = "Manage outgoing webhooks.",
        subcommands = {WebhookCommand.Add.class, WebhookCommand.ListAll.class, WebhookCommand.Remove.class,
                WebhookCommand.DeadLetters.class, WebhookCommand.Retry.class})
final class WebhookCommand {
    private static final int MAX_URL_LENGTH = 2000;

    private WebhookCommand() {
    }

    private static WebhookStore webhooks(ConnectorStore store) {
        return OperatorCli.node(store).webhooks();
    }

    private static String names(Set<WebhookEventType> events) {
        return events.stream().map(WebhookEventType::wireName).sorted().collect(Collectors.joining(","));
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Subscribe a URL to events and print its signing secret once.")
    static final class Add extends ConnectorCommand.StoreTask {
        @Option(names = "--url", required = true, paramLabel = "URL", description = "http(s) URL the events are POSTed to.")
        String url;
        @Option(names = "--events", required = true, split = ",", paramLabel = "TYPE",
                description = "Comma-separated: session.started, session.ended, handoff.requested, handoff.assigned,"
                        + " handoff.finished, message.created, csat.given.")
        List<String> events;
        @Option(names = "--connector", paramLabel = "ID", description = "Only sessions of this connector (default: all).")
        String connectorId;

        Add(CliContext context) {
            super(context);
        }

        @Override
        int run(ConnectorStore store, PrintWriter out, PrintWriter err) {
            Optional<String> problem = url.length() > MAX_URL_LENGTH ? Optional.of("too long") : WebhookUrls.problem(url);
            if (problem.isPresent()) {
                err.println("error: --url " + problem.get());
                return ParleyCommand.USAGE;
            }
            Set<WebhookEventType> types = EnumSet.noneOf(WebhookEventType.class);
            for (String name : events) {
                Optional<WebhookEventType> type = WebhookEventType.fromWireName(name.strip());
                if (type.isEmpty()) {
                    err.println("error: unknown event type '" + name.strip() + "'");
                    return ParleyCommand.USAGE;
                }
                type.ifPresent(types::add);
            }
            if (connectorId != null && store.findConnector(connectorId).isEmpty()) {
                err.println("error: no connector with id " + connectorId);
                return ParleyCommand.NOT_FOUND;
            }
            byte[] idBytes = new byte[8];
            context.random().nextBytes(idBytes);
            String id = "whs_" + HexFormat.of().formatHex(idBytes);
            String secret = WebhookSecrets.newSecret(context.random());
            // The running server's secret seals it, so the server can open it to sign.
            WebhookSecrets secrets = new WebhookSecrets(ContextKeySealer.forConfig(config, context.random()));
            webhooks(store).addSubscription(new WebhookSubscription(id, url, types, connectorId, secrets.seal(id, secret),
                    context.clock().instant()));
            out.println("Added webhook " + id + " -> " + url + " (" + names(types) + ")");
            out.println("Secret: " + secret);
            out.println("Verify X-Parley-Signature: sha256=hex(HMAC-SHA256(secret, X-Parley-Timestamp + \".\" + body)).");
            out.println("Copy the secret now: it cannot be shown again.");
            return ParleyCommand.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List webhooks (never their secrets).")
    static final class ListAll extends ConnectorCommand.StoreTask {
        private static final String ROW = "%-21s %-16s %-8s %-7s %s  %s%n";

        ListAll(CliContext context) {
            super(context);
        }

        @Override
        int run(ConnectorStore store, PrintWriter out, PrintWriter err) {
            WebhookStore webhooks = webhooks(store);
            List<WebhookSubscription> all = webhooks.listSubscriptions();
            if (all.isEmpty()) {
                out.println("No webhooks.");
                return ParleyCommand.OK;
            }
            out.printf(ROW, "ID", "CONNECTOR", "PENDING", "DEAD", "URL", "EVENTS");
            for (WebhookSubscription s : all) {
                out.printf(ROW, s.id(), s.connectorId() == null ? "*" : s.connectorId(), webhooks.pendingCount(s.id()),
                        webhooks.deadLetters(s.id()).size(), s.url(), names(s.events()));
            }
            return ParleyCommand.OK;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove a webhook with its pending deliveries and dead letters.")
    static final class Remove extends ConnectorCommand.StoreTask {
        @Parameters(paramLabel = "ID", description = "Webhook id, e.g. whs_...")
        String id;

        Remove(CliContext context) {
            super(context);
        }

        @Override
        int run(ConnectorStore store, PrintWriter out, PrintWriter err) {
            if (!webhooks(store).removeSubscription(id)) {
                err.println("error: no webhook with id " + id);
                return ParleyCommand.NOT_FOUND;
            }
            out.println("Removed webhook " + id);
            return ParleyCommand.OK;
        }
    }

    @Command(name = "dead-letters", mixinStandardHelpOptions = true,
            description = "List deliveries that failed their last attempt.")
    static final class DeadLetters extends ConnectorCommand.StoreTask {
        private static final String ROW = "%-36s %-21s %-18s %-38s %-8s %-24s %s%n";
        @Option(names = "--subscription", paramLabel = "ID", description = "Only this webhook's.")
        String subscriptionId;

        DeadLetters(CliContext context) {
            super(context);
        }

        @Override
        int run(ConnectorStore store, PrintWriter out, PrintWriter err) {
            List<DeadLetter> dead = webhooks(store).deadLetters(subscriptionId);
            if (dead.isEmpty()) {
                out.println("No dead letters.");
                return ParleyCommand.OK;
            }
            out.printf(ROW, "ID", "WEBHOOK", "TYPE", "SESSION", "ATTEMPTS", "DEAD SINCE", "LAST ERROR");
            for (DeadLetter d : dead) {
                out.printf(ROW, d.id(), d.subscriptionId(), d.type(), d.sessionId(), d.attempts(), d.deadAt(),
                        d.lastError() == null ? "-" : d.lastError());
            }
            return ParleyCommand.OK;
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true,
            description = "Send a dead letter again (a fresh round of attempts, same delivery id).")
    static final class Retry extends ConnectorCommand.StoreTask {
        @Parameters(paramLabel = "DEAD_LETTER_ID", description = "Delivery id, e.g. whd_...")
        String id;

        Retry(CliContext context) {
            super(context);
        }

        @Override
        int run(ConnectorStore store, PrintWriter out, PrintWriter err) {
            if (!webhooks(store).retryDeadLetter(id, context.clock().instant())) {
                err.println("error: no dead letter with id " + id);
                return ParleyCommand.NOT_FOUND;
            }
            out.println("Dead letter " + id + " is due again; a running node sends it within about a second");
            return ParleyCommand.OK;
        }
    }
}
