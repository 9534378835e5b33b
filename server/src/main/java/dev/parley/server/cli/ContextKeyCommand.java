package dev.parley.server.cli;

import dev.parley.server.auth.ContextKeySealer;
import dev.parley.server.store.ConnectorStore;
import dev.parley.server.store.ContextKey;
import dev.parley.server.store.ContextStore;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code parley admin connector context-key add|list|remove}: the keys a connector's site signs
 * verified-context tokens with (HS256, named by the token's {@code kid}). A secret is printed once,
 * when added, and stored only sealed with the server secret; {@code list} never shows it.
 *
 * <p>The secret is 43 characters of URL-safe base64 (256 random bits) and the HMAC key is those
 * characters themselves, so a site passes the printed string to its JWT library as it is.
 */
@Command(name = "context-key", mixinStandardHelpOptions = true,
        description = "Manage the keys a connector's site signs verified-context tokens with.",
        subcommands = {ContextKeyCommand.Add.class, ContextKeyCommand.ListAll.class, ContextKeyCommand.Remove.class})
final class ContextKeyCommand {
    /** What a kid may look like: short, printable, safe in a log line and a JWT header. */
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private static ContextStore contextStore(ConnectorStore store) {
        if (!(store instanceof ContextStore contexts)) {
            throw new IllegalStateException("this store keeps no context keys");
        }
        return contexts;
    }

    /** The connector's existence, checked the same way by every subcommand. */
    private static boolean known(ConnectorStore store, String connectorId, PrintWriter err) {
        if (store.findConnector(connectorId).isEmpty()) {
            err.println("error: no connector with id " + connectorId);
            return false;
        }
        return true;
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a key and print its secret once.")
    static final class Add extends ConnectorCommand.StoreTask {
        @Parameters(index = "0", paramLabel = "CONNECTOR", description = "Connector id, e.g. con_...")
        String connectorId;
        @Option(names = "--kid", paramLabel = "KID", description = "Key id the tokens name in their header (default: a new ck_... id).")
        String keyId;

        Add(CliContext context) {
            super(context);
        }

        @Override
        int run(ConnectorStore store, PrintWriter out, PrintWriter err) {
            ContextStore contexts = contextStore(store);
            if (!known(store, connectorId, err)) {
                return ParleyCommand.NOT_FOUND;
            }
            String kid = keyId != null ? keyId : "ck_" + HexFormat.of().formatHex(randomBytes(6));
            if (!KEY_ID.matcher(kid).matches()) {
                err.println("error: --kid must be 1 to 64 of A-Z a-z 0-9 . _ -");
                return ParleyCommand.USAGE;
            }
            String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
            ContextKeySealer sealer = ContextKeySealer.forConfig(config, context.random());
            String sealed = sealer.seal(connectorId, kid, secret.getBytes(StandardCharsets.US_ASCII));
            if (!contexts.addContextKey(new ContextKey(connectorId, kid, sealed, context.clock().instant()))) {
                err.println("error: connector " + connectorId + " already has a context key " + kid);
                return ParleyCommand.USAGE;
            }
            out.println("Added context key " + kid + " to connector " + connectorId);
            out.println("Secret: " + secret);
            out.println("Sign context tokens with HS256, header kid " + kid + ", and this secret as the key.");
            out.println("Copy the secret now: it cannot be shown again.");
            return ParleyCommand.OK;
        }

        private byte[] randomBytes(int n) {
            byte[] bytes = new byte[n];
            context.random().nextBytes(bytes);
            return bytes;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List a connector's keys (never their secrets).")
    static final class ListAll extends ConnectorCommand.StoreTask {
        private static final String ROW = "%-24s %s%n";
        @Parameters(index = "0", paramLabel = "CONNECTOR", description = "Connector id, e.g. con_...")
        String connectorId;

        ListAll(CliContext context) {
            super(context);
        }

        @Override
        int run(ConnectorStore store, PrintWriter out, PrintWriter err) {
            ContextStore contexts = contextStore(store);
            if (!known(store, connectorId, err)) {
                return ParleyCommand.NOT_FOUND;
            }
            List<ContextKey> keys = contexts.listContextKeys(connectorId);
            if (keys.isEmpty()) {
                out.println("No context keys for connector " + connectorId + ".");
                return ParleyCommand.OK;
            }
            out.printf(ROW, "KID", "CREATED");
            keys.forEach(k -> out.printf(ROW, k.keyId(), k.createdAt()));
            return ParleyCommand.OK;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove a key: tokens signed with it are refused from then on.")
    static final class Remove extends ConnectorCommand.StoreTask {
        @Parameters(index = "0", paramLabel = "CONNECTOR", description = "Connector id, e.g. con_...")
        String connectorId;
        @Parameters(index = "1", paramLabel = "KID", description = "Key id to remove.")
        String keyId;

        Remove(CliContext context) {
            super(context);
        }

        @Override
        int run(ConnectorStore store, PrintWriter out, PrintWriter err) {
            ContextStore contexts = contextStore(store);
            if (!contexts.removeContextKey(connectorId, keyId)) {
                err.println("error: connector " + connectorId + " has no context key " + keyId);
                return ParleyCommand.NOT_FOUND;
            }
            out.println("Removed context key " + keyId + " of connector " + connectorId);
            return ParleyCommand.OK;
        }
    }
}
