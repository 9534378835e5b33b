package dev.parley.server.config;

import dev.parley.server.desk.LoginLimits;
import dev.parley.server.desk.QueueSettings;
import java.time.Duration;
import java.util.List;

/**
 * The live-agent desk. When disabled, handoffs are client-managed ({@code CLIENT_HANDOFF_REQUIRED}).
 *
 * @param requeueGrace      how long a disconnected agent's conversations stay theirs
 * @param statusPeriod      how often waiting users hear their queue status even when nothing moved
 * @param demoAgentName     live agent created for the demo connector at start-up, {@code null} for none
 * @param demoAgentPassword that agent's password
 * @param login             log-in throttling, lockout and the bcrypt pool ({@code desk.login})
 */
public record DeskConfig(
        boolean enabled,
        List<QueueSettings> queues,
        Duration requeueGrace,
        Duration statusPeriod,
        String demoAgentName,
        String demoAgentPassword,
        LoginLimits login) {

    public DeskConfig {
        queues = List.copyOf(queues);
        login = login == null ? LoginLimits.DEFAULTS : login;
    }

    /** With the default {@link LoginLimits}. */
    public DeskConfig(boolean enabled, List<QueueSettings> queues, Duration requeueGrace, Duration statusPeriod,
                      String demoAgentName, String demoAgentPassword) {
        this(enabled, queues, requeueGrace, statusPeriod, demoAgentName, demoAgentPassword, LoginLimits.DEFAULTS);
    }

    public static final DeskConfig DEFAULTS = new DeskConfig(
            true,
            List.of(QueueSettings.auto("support", Duration.ofMinutes(10)),
                    new QueueSettings("sales", QueueSettings.Assignment.MANUAL, Duration.ofMinutes(10), true)),
            Duration.ofSeconds(60),
            Duration.ofSeconds(15),
            "Sarah",
            "parley-demo");

    public static final DeskConfig DISABLED = new DeskConfig(false, List.of(), Duration.ofSeconds(60),
            Duration.ofSeconds(15), null, null);

    public DeskConfig withQueues(List<QueueSettings> value) {
        return new DeskConfig(enabled, value, requeueGrace, statusPeriod, demoAgentName, demoAgentPassword, login);
    }

    public DeskConfig withTimers(Duration grace, Duration status) {
        return new DeskConfig(enabled, queues, grace, status, demoAgentName, demoAgentPassword, login);
    }

    public DeskConfig withLogin(LoginLimits value) {
        return new DeskConfig(enabled, queues, requeueGrace, statusPeriod, demoAgentName, demoAgentPassword, value);
    }
}
