package dev.parley.server.session;

import dev.parley.protocol.EventType;
import dev.parley.protocol.Ids;
import dev.parley.protocol.TypingState;
import dev.parley.protocol.codec.Timestamps;
import java.time.Instant;

/**
 * The user's typing as shown to a live agent's desk. It is not a server event of the protocol
 * (clients never receive it), so it is framed here in the same envelope shape, transient.
 */
final class UserTypingFrame {
    private UserTypingFrame() {
    }

    static String encode(TypingState state, Instant at) {
        return "{\"id\":\"" + Ids.eventId() + "\",\"sequence\":null,\"timestamp\":\"" + Timestamps.format(at)
                + "\",\"type\":\"" + EventType.USER_TYPING.wireName() + "\",\"payload\":{\"state\":\"" + state.name() + "\"}}";
    }
}
