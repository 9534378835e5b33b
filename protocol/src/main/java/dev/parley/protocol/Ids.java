package dev.parley.protocol;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import java.util.UUID;

/** Id formats of PROTOCOL.md §13.24: UUIDv7 event and session ids, {@code msg_}-prefixed message ids. */
public final class Ids {
    private static final TimeBasedEpochGenerator UUID_V7 = Generators.timeBasedEpochGenerator();

    private Ids() {
    }

    /** A new time-ordered UUIDv7, as used for event and session ids. */
    public static UUID uuidV7() {
        return UUID_V7.generate();
    }

    /** A new event id. */
    public static String eventId() {
        return uuidV7().toString();
    }

    /** A new message id such as {@code msg_0190a1b2000070008000000000000001}. */
    public static String messageId() {
        return "msg_" + uuidV7().toString().replace("-", "");
    }
}
