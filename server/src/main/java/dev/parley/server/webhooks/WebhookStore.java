package dev.parley.server.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The outbox and the subscriptions (issue 14). Rows are added by the journal's appends (see
 * {@link WebhookEvents}); this is how they are claimed, settled and managed. Calls block.
 */
public interface WebhookStore {

    void addSubscription(WebhookSubscription subscription);

    List<WebhookSubscription> listSubscriptions();

    Optional<WebhookSubscription> findSubscription(String id);

    /** Removes the subscription with its pending deliveries and dead letters; false if there is none. */
    boolean removeSubscription(String id);

    /**
     * Claims up to {@code limit} due deliveries for {@code owner} until {@code leaseUntil}, counting an
     * attempt for each: due means not dead, {@code next_attempt_at <= now}, and not leased (or its
     * lease ran out, so a node that died mid-attempt does not keep it). Among several nodes each row
     * goes to one claimer.
     */
    List<WebhookDelivery> claim(String owner, Instant now, Instant leaseUntil, int limit);

    /** The receiver took it: the row is gone. */
    void delivered(String deliveryId);

    /** The attempt failed: due again at {@code nextAttemptAt}, lease released. */
    void retryLater(String deliveryId, String owner, Instant nextAttemptAt, String error);

    /** The last attempt failed: the row becomes a dead letter. */
    void deadLetter(String deliveryId, String owner, Instant at, String error);

    /** Dead letters, oldest first, of one subscription or (null) all. */
    List<DeadLetter> deadLetters(String subscriptionId);

    /** Makes a dead letter due at {@code now} with a fresh attempt count; false if there is no such dead letter. */
    boolean retryDeadLetter(String deliveryId, Instant now);

    /** Deliveries not yet delivered nor dead (for the CLI listing). */
    int pendingCount(String subscriptionId);
}
