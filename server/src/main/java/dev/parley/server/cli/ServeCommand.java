package dev.parley.server.cli;

import dev.parley.server.ParleyServer;
import dev.parley.server.config.ConfigOverrides;
import dev.parley.server.config.ParleyConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code parley serve}: runs the server until the JVM is asked to stop. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the Parley server.")
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", description = "HTTP port, 0 for any free port (default 8080).")
    Integer port;
    @Option(names = "--bind", paramLabel = "ADDRESS", description = "Address to listen on (default 127.0.0.1).")
    String bind;
    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where sessions, events and the JWT secret live (default ./data).")
    Path dataDir;
    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (default ./parley.yaml if present).")
    Path config;
    @Option(names = "--demo-connector-token", paramLabel = "TOKEN", description = "Token of the demo connector; empty disables it.")
    String demoConnectorToken;
    @Option(names = "--demo-connector-host", paramLabel = "HOST", description = "Host registered for the demo connector (default localhost).")
    String demoConnectorHost;
    @Option(names = "--no-demo-connector", description = "Run without the demo connector.")
    boolean noDemoConnector;
    @Option(names = "--heartbeat-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Heartbeat interval advertised to clients, e.g. 30s.")
    Duration heartbeatInterval;
    @Option(names = "--idle-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Close a WebSocket after this long without client messages, e.g. 10m.")
    Duration idleTimeout;
    @Option(names = "--session-inactivity-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "End a session after this long without client activity, e.g. 10m.")
    Duration sessionInactivityTimeout;
    @Option(names = "--no-desk", description = "Run without the live-agent desk (handoffs are then client-managed).")
    boolean noDesk;
    @Option(names = "--flow", paramLabel = "FILE", description = "Scripted-agent flow file (default: the built-in demo flow).")
    Path flow;

    private final CliContext context;

    ServeCommand(CliContext context) {
        this.context = context;
    }

    /** The flags given, for the config loader; absent flags stay {@code null}. */
    ConfigOverrides overrides() {
        return new ConfigOverrides(port, bind, dataDir, config, demoConnectorToken, demoConnectorHost,
                noDemoConnector, heartbeatInterval, idleTimeout, sessionInactivityTimeout, flow, noDesk);
    }

    @Override
    public Integer call() throws InterruptedException {
        ParleyConfig cfg = context.configLoader().load(context.env(), overrides());
        ParleyServer server = ParleyServer.start(cfg);
        var out = spec.commandLine().getOut();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Ctrl-C or SIGTERM: the graceful stop can take a few seconds, so say what is happening.
            out.println("Parley stopping (closing sockets, finishing writes)…");
            out.flush();
            server.close();
            out.println("Parley stopped.");
            out.flush();
        }, "parley-shutdown"));
        out.println("Parley listening on http://" + cfg.bindAddress() + ":" + server.port() + " (data in "
                + (cfg.store().isPostgres() ? cfg.store().url() : cfg.dataDir().toAbsolutePath()) + ")");
        if (cfg.demoConnectorToken() != null) {
            out.println("Demo connector: X-Token " + cfg.demoConnectorToken() + ", X-Host " + cfg.demoConnectorHost());
            if (server.desk().isPresent() && cfg.desk().demoAgentName() != null) {
                out.println("Demo live agent: " + cfg.desk().demoAgentName() + " / " + cfg.desk().demoAgentPassword()
                        + " at http://" + cfg.bindAddress() + ":" + server.port() + "/desk");
                out.println("Demo supervisor: " + ParleyServer.DEMO_SUPERVISOR_NAME + " / "
                        + cfg.desk().demoAgentPassword() + " at http://" + cfg.bindAddress() + ":" + server.port() + "/desk");
            }
        }
        out.flush();
        // Nothing counts this down: the JVM ends on a signal after the shutdown hook has closed the server.
        new CountDownLatch(1).await();
        return ParleyCommand.OK;
    }
}
