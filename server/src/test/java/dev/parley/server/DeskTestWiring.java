package dev.parley.server;

import dev.parley.server.desk.ConversationControl;
import dev.parley.server.session.SessionRegistry;

/** Test access to the production {@link SessionConversationControl}, for desk tests that build their own node. */
public final class DeskTestWiring {
    private DeskTestWiring() {
    }

    public static ConversationControl conversations(SessionRegistry sessions) {
        return new SessionConversationControl(sessions);
    }
}
