package dev.parley.server;

import dev.parley.server.agent.Agent;
import dev.parley.server.agent.AgentMetrics;
import dev.parley.server.agent.AgentRouter;
import dev.parley.server.agent.InterruptibleAgent;
import dev.parley.server.agent.MeteredAgent;
import dev.parley.server.agent.llm.LlmAgent;
import dev.parley.server.agent.llm.LlmSettings;
import dev.parley.server.agent.scripted.Flow;
import dev.parley.server.agent.scripted.FlowException;
import dev.parley.server.agent.scripted.FlowLoader;
import dev.parley.server.agent.scripted.Intent;
import dev.parley.server.agent.scripted.ScriptedAgent;
import dev.parley.server.agent.webhook.WebhookAgent;
import dev.parley.server.agent.webhook.WebhookSettings;
import dev.parley.server.config.AgentsConfig;
import dev.parley.server.config.AgentsConfig.Kind;
import dev.parley.server.config.ConfigException;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.desk.QueueSettings;
import dev.parley.server.time.Scheduler;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the node's {@link Agent} from {@code agent:} and {@code agents:}: one instance per kind
 * in use, behind an {@link AgentRouter} when connectors differ. Every kind reports metrics: the
 * scripted agent through a {@link MeteredAgent}, the webhook (and LLM) agents themselves.
 */
final class AgentFactory {
    private final ParleyConfig config;
    private final HttpClient http;
    private final Scheduler scheduler;
    private final Clock clock;
    private final AgentMetrics metrics;

    AgentFactory(ParleyConfig config, HttpClient http, Scheduler scheduler, Clock clock, AgentMetrics metrics) {
        this.config = config;
        this.http = http;
        this.scheduler = scheduler;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** @throws ConfigException if a selected kind cannot be built */
    Agent build() {
        AgentsConfig agents = config.agents();
        Map<Kind, Agent> byKind = new EnumMap<>(Kind.class);
        Agent fallback = byKind.computeIfAbsent(agents.defaultKind(), this::create);
        if (agents.connectors().isEmpty()) {
            return fallback;
        }
        Map<String, Agent> byConnector = new HashMap<>();
        agents.connectors().forEach((connector, kind) -> byConnector.put(connector, byKind.computeIfAbsent(kind, this::create)));
        return new AgentRouter(fallback, byConnector);
    }

    private Agent create(Kind kind) {
        AgentsConfig agents = config.agents();
        return switch (kind) {
            case SCRIPTED -> new MeteredAgent(new ScriptedAgent(flow(), scheduler, config.streamChunkDelay()),
                    "scripted", metrics);
            case WEBHOOK -> {
                AgentsConfig.Webhook w = agents.webhook().orElseThrow();
                yield new WebhookAgent(new WebhookSettings(w.url(), w.secret().value(), w.timeout(), w.maxRetries(),
                        w.name(), w.avatarUrl(), w.historyTurns()), http, scheduler, clock, metrics);
            }
            case LLM -> llm(agents.llm().orElseThrow());
        };
    }

    /**
     * The scripted agent's flow, whose handoffs must name queues of the desk: a handoff to a queue
     * that does not exist would otherwise fail only when a user first asks for a person.
     *
     * @throws FlowException naming the intent and the key
     */
    private Flow flow() {
        Flow flow = config.flowFile() == null ? FlowLoader.demo() : FlowLoader.load(config.flowFile());
        if (!config.desk().enabled()) {
            return flow; // client-managed handoff: the queue name is only passed on to the client
        }
        List<String> queues = config.desk().queues().stream().map(QueueSettings::name).toList();
        String file = config.flowFile() == null ? "the built-in demo flow" : config.flowFile().toString();
        for (Intent intent : flow.intents()) {
            String queue = intent.handoff() == null ? null : intent.handoff().queueName();
            if (queue != null && !queues.contains(queue)) {
                throw new FlowException(file + ": intent \"" + intent.name() + "\": handoff.queue: '" + queue
                        + "' is not a queue of the desk (desk.queues: " + String.join(", ", queues) + ")");
            }
        }
        return flow;
    }

    // ---- LLM agent: plug-in point ---------------------------------------------------------------
    // When dev.parley.server.agent.llm.LlmAgent is merged, replace the body of llm(...) with:
    //
    //   return new LlmAgent(new LlmSettings(c.baseUrl(), c.model(),
    //           c.apiKey() == null ? null : c.apiKey().value(), c.systemPrompt(), c.historyBudgetChars(),
    //           c.connectTimeout(), c.firstTokenTimeout(), c.totalTimeout(), c.maxRetries(),
    //           c.fallbackText(), c.name(), c.avatarUrl()), http, scheduler, clock, metrics);
    //
    // (adapt argument types if LlmSettings takes e.g. a String base URL: c.baseUrl().toString()).
    // LlmAgent gets the real metrics and reports itself; if it does not, wrap it instead:
    //   new MeteredAgent(new LlmAgent(..., AgentMetrics.NONE), "llm", metrics)
    /** The LLM agent reports its own turns, first tokens and failures. */
    private Agent llm(AgentsConfig.Llm c) {
        LlmSettings defaults = LlmSettings.DEFAULTS;
        LlmSettings settings = new LlmSettings(c.baseUrl(), c.model(),
                c.apiKey() == null ? null : c.apiKey().value(),
                c.systemPrompt() == null ? defaults.systemPrompt() : c.systemPrompt(),
                c.historyBudgetChars(), c.connectTimeout(), c.firstTokenTimeout(), c.totalTimeout(), c.maxRetries(),
                defaults.initialBackoff(), c.fallbackText() == null ? defaults.fallbackText() : c.fallbackText(),
                c.name(), c.avatarUrl(), null);
        LlmAgent agent = new LlmAgent(settings, http, scheduler, clock, metrics);
        return c.cancelOnNewMessage() ? new InterruptibleAgent(agent) : agent;
    }
}
