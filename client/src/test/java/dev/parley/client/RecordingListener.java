package dev.parley.client;

import dev.parley.protocol.EndReason;
import dev.parley.protocol.EventType;
import dev.parley.protocol.ServerEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/** Records every callback, for assertions from the test thread. Thread-safe. */
class RecordingListener implements ConversationListener {
    record Status(String clientEventId, DeliveryStatus status) {
    }

    record Partial(String messageId, String textSoFar) {
    }

    final List<ServerEvent> events = new CopyOnWriteArrayList<>();
    final List<AgentMessage> agentMessages = new CopyOnWriteArrayList<>();
    final List<Partial> partials = new CopyOnWriteArrayList<>();
    final List<Status> statuses = new CopyOnWriteArrayList<>();
    final List<ConnectionState> states = new CopyOnWriteArrayList<>();
    final List<String> agentNames = new CopyOnWriteArrayList<>();
    final List<EndReason> endings = new CopyOnWriteArrayList<>();
    final List<ConversationLostException> failures = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();
    /** Optional extra behaviour on each partial, e.g. dropping the socket mid-stream. */
    volatile BiConsumer<Conversation, Partial> onPartial = (c, p) -> { };

    @Override
    public void onEvent(Conversation conversation, ServerEvent event) {
        threads.add(Thread.currentThread().getName());
        events.add(event);
    }

    @Override
    public void onStateChanged(Conversation conversation, ConnectionState state) {
        states.add(state);
    }

    @Override
    public void onAgentJoined(Conversation conversation, String name, String avatarUrl) {
        agentNames.add(name);
    }

    @Override
    public void onAgentMessage(Conversation conversation, AgentMessage message) {
        agentMessages.add(message);
    }

    @Override
    public void onPartialMessage(Conversation conversation, String messageId, String textSoFar) {
        Partial partial = new Partial(messageId, textSoFar);
        partials.add(partial);
        onPartial.accept(conversation, partial);
    }

    @Override
    public void onSessionEnded(Conversation conversation, EndReason reason) {
        endings.add(reason);
    }

    @Override
    public void onDeliveryStatus(Conversation conversation, OutgoingMessage message, DeliveryStatus status) {
        statuses.add(new Status(message.clientEventId(), status));
    }

    @Override
    public void onFailure(Conversation conversation, ConversationLostException error) {
        failures.add(error);
    }

    List<DeliveryStatus> statusesOf(OutgoingMessage message) {
        return statuses.stream().filter(s -> s.clientEventId().equals(message.clientEventId()))
                .map(Status::status).collect(Collectors.toList());
    }

    List<ServerEvent> eventsOf(EventType type) {
        return events.stream().filter(e -> e.type() == type).collect(Collectors.toList());
    }

    boolean hasAgentMessageStartingWith(String prefix) {
        return agentMessages.stream().anyMatch(m -> m.text().startsWith(prefix));
    }
}
