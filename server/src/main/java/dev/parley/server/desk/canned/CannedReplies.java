package dev.parley.server.desk.canned;

import dev.parley.server.desk.DeskAgent;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * The rules of canned replies, shared by the admin CLI and the desk API: what a valid reply is, which
 * replies an agent may use, and that a connector only ever reaches its own. Blocks (the store).
 */
public final class CannedReplies {
    private final CannedReplyStore store;
    private final Set<String> queues;
    private final Clock clock;
    private final Random random;

    /** {@code queues}: the desk's configured queue names; a reply names one of them or none (every queue). */
    public CannedReplies(CannedReplyStore store, Set<String> queues, Clock clock, Random random) {
        this.store = store;
        this.queues = Set.copyOf(queues);
        this.clock = clock;
        this.random = random;
    }

    /** What an edit changes; null leaves a field as it is ({@code queueGiven} tells a move to "every queue" apart). */
    public record Changes(String shortcut, String title, String text, boolean queueGiven, String queue) {
        public static Changes of(String shortcut, String title, String text) {
            return new Changes(shortcut, title, text, false, null);
        }
    }

    /** @throws InvalidCannedReplyException, ShortcutTakenException */
    public CannedReply create(String connectorId, String queue, String shortcut, String title, String text) {
        Instant now = clock.instant();
        CannedReply reply = valid(new CannedReply(newId(), connectorId, queue, norm(shortcut), norm(title),
                text == null ? "" : text, now, now));
        store.add(reply);
        return reply;
    }

    /** Empty when the connector has no reply with this id. @throws InvalidCannedReplyException, ShortcutTakenException */
    public Optional<CannedReply> edit(String connectorId, String id, Changes changes) {
        Optional<CannedReply> found = find(connectorId, id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        CannedReply old = found.get();
        CannedReply updated = valid(new CannedReply(old.id(), old.connectorId(),
                changes.queueGiven() ? changes.queue() : old.queue(),
                changes.shortcut() == null ? old.shortcut() : norm(changes.shortcut()),
                changes.title() == null ? old.title() : norm(changes.title()),
                changes.text() == null ? old.text() : changes.text(), old.createdAt(), clock.instant()));
        return store.update(updated) ? Optional.of(updated) : Optional.empty();
    }

    public boolean remove(String connectorId, String id) {
        return find(connectorId, id).isPresent() && store.remove(id);
    }

    /** Another connector's reply is as absent as one that never was. */
    public Optional<CannedReply> find(String connectorId, String id) {
        return store.find(id).filter(r -> r.connectorId().equals(connectorId));
    }

    public List<CannedReply> of(String connectorId) {
        return store.list(connectorId);
    }

    /**
     * What {@code agent} may use: a supervisor every reply of the connector, an agent those of its queues and the
     * all-queue ones. With {@code queue}, only those usable in that queue.
     */
    public List<CannedReply> usableBy(DeskAgent agent, String queue) {
        return store.list(agent.connectorId()).stream()
                .filter(r -> agent.supervisor() || r.allQueues() || agent.serves(r.queue()))
                .filter(r -> queue == null || r.usableIn(queue))
                .toList();
    }

    private CannedReply valid(CannedReply r) {
        if (!r.shortcut().matches(CannedReply.SHORTCUT_PATTERN)) {
            throw new InvalidCannedReplyException("shortcut must be 1 to 32 lower-case letters, digits, '-' or '_'");
        }
        if (r.title().isEmpty()) {
            throw new InvalidCannedReplyException("title must not be empty");
        }
        if (r.title().codePointCount(0, r.title().length()) > CannedReply.MAX_TITLE_CHARS) {
            throw new InvalidCannedReplyException("title must be at most " + CannedReply.MAX_TITLE_CHARS + " characters");
        }
        if (r.text().isBlank()) {
            throw new InvalidCannedReplyException("text must not be empty");
        }
        if (r.text().codePointCount(0, r.text().length()) > CannedReply.MAX_TEXT_CHARS) {
            throw new InvalidCannedReplyException("text must be at most " + CannedReply.MAX_TEXT_CHARS + " characters");
        }
        if (r.queue() != null && !queues.contains(r.queue())) {
            throw new InvalidCannedReplyException("no queue named " + r.queue()
                    + (queues.isEmpty() ? " (the desk has no queues)" : " (queues: " + String.join(", ", queues.stream().sorted().toList()) + ")"));
        }
        return r;
    }

    private static String norm(String value) {
        return value == null ? "" : value.strip();
    }

    private String newId() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return "cr_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
