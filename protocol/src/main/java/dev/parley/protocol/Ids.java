package dev.parley.protocol;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Id formats of PROTOCOL.md §13.24: random UUIDv4 session ids, UUIDv7 event ids, {@code msg_}-prefixed
 * message ids.
 *
 * <p><b>Why every random bit is fresh.</b> A session id is the capability to resume its session: any
 * valid token of the session's connector may connect to it (§13.18). So no id a client sees may lead to
 * another. Session ids are therefore version 4 (122 random bits, no clock), and the UUIDv7 ids draw all
 * 74 of their random bits anew for every id. A monotonic v7 generator (the RFC 9562 counter option)
 * would instead make the next id of the same millisecond "the previous plus one", letting an event id
 * seen on one session name the neighbouring session's id. Ids minted in the same millisecond are then
 * not ordered among themselves; nothing relies on that, since {@code sequence} orders events.
 *
 * <p>One {@link SecureRandom} serves the whole process: it is thread-safe, and the default one on
 * Linux reads {@code /dev/urandom}, which never blocks once the kernel is seeded.
 */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long TIMESTAMP_MASK = 0xFFFF_FFFF_FFFFL;

    private Ids() {
    }

    /** A new session id: a random UUIDv4 (122 bits from a {@link SecureRandom}). */
    public static String sessionId() {
        return uuidV4().toString();
    }

    /** A new random UUIDv4. */
    public static UUID uuidV4() {
        ByteBuffer bits = randomBits();
        long msb = (bits.getLong(0) & ~0xF000L) | 0x4000L; // version 4
        return new UUID(msb, variant(bits.getLong(8)));
    }

    /** A new time-ordered UUIDv7: 48 bits of Unix milliseconds, then 74 fresh random bits. */
    public static UUID uuidV7() {
        ByteBuffer bits = randomBits();
        long randA = bits.getLong(0) & 0x0FFFL;
        long msb = ((System.currentTimeMillis() & TIMESTAMP_MASK) << 16) | 0x7000L | randA; // version 7
        return new UUID(msb, variant(bits.getLong(8)));
    }

    /**
     * A new verified-context id such as {@code ctx_<32 hex>}: 128 random bits, none of them time,
     * because a site's backend signs context for whoever names this id (it must not be guessable).
     */
    public static String contextId() {
        ByteBuffer bits = randomBits();
        return "ctx_" + java.util.HexFormat.of().formatHex(bits.array());
    }

    /** A new event id. */
    public static String eventId() {
        return uuidV7().toString();
    }

    /** A new message id such as {@code msg_0190a1b2c3d47e5f8a6b7c8d9e0f1a2b}. */
    public static String messageId() {
        return "msg_" + uuidV7().toString().replace("-", "");
    }

    private static ByteBuffer randomBits() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return ByteBuffer.wrap(bytes);
    }

    /** The RFC 9562 variant bits {@code 10} in the top of the low half. */
    private static long variant(long lsb) {
        return (lsb & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    }
}
