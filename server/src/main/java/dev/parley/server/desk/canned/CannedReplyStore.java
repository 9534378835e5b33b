package dev.parley.server.desk.canned;

import java.util.List;
import java.util.Optional;

/** Where canned replies are kept (both store adapters). Calls block; callers keep them off event loops. */
public interface CannedReplyStore {

    /** @throws ShortcutTakenException when the connector and queue already have a reply with this shortcut */
    void add(CannedReply reply);

    /** Replaces the reply with the same id; false if there is none. @throws ShortcutTakenException as {@link #add} */
    boolean update(CannedReply reply);

    boolean remove(String id);

    Optional<CannedReply> find(String id);

    /** The connector's replies, all-queue ones first, then by queue and shortcut. */
    List<CannedReply> list(String connectorId);
}
