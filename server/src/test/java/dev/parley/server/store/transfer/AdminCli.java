package dev.parley.server.store.transfer;

import dev.parley.server.StoreFactory;
import dev.parley.server.cli.CliContext;
import dev.parley.server.cli.ParleyCommand;
import dev.parley.server.config.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine;

/** Runs {@code parley …} in this JVM on the real stores, with its own environment and no parley.yaml. */
final class AdminCli {
    record Result(int code, String out, String err) {
    }

    private final Path noConfig;
    private final Map<String, String> env;

    AdminCli(Path dir, Map<String, String> env) {
        this.noConfig = dir.resolve("absent.yaml");
        this.env = env;
    }

    Result run(String... args) {
        return runWithInput("", args);
    }

    Result runWithInput(String stdin, String... args) {
        CliContext context = new CliContext(StoreFactory::open, new ConfigLoader(noConfig), env, Clock.systemUTC(),
                new SecureRandom(), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), 4);
        CommandLine cli = ParleyCommand.commandLine(context);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
