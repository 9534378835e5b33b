package dev.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Ids are capabilities or lead to them (PROTOCOL.md §13.18, §13.24): none may be derivable from
 * another, so every random bit is drawn afresh.
 */
class IdsTest {
    private static final int MANY = 20_000;
    /** Two fresh 74-bit random parts lie closer than this with probability about 2^-41. */
    private static final BigInteger SMALL = BigInteger.ONE.shiftLeft(32);

    @Test
    void sessionIdsAreRandomVersion4UuidsWithEveryRandomBitInUse() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            UUID id = UUID.fromString(Ids.sessionId());
            assertThat(id.version()).as("version of %s", id).isEqualTo(4);
            assertThat(id.variant()).as("variant of %s", id).isEqualTo(2);
            ids.add(id);
        }
        assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
        // 122 random bits: every bit outside version and variant takes both values across the ids.
        assertEveryBitVaries(ids, 0x0FFFL | 0xFFFF_FFFF_FFFF_0000L, 0x3FFF_FFFF_FFFF_FFFFL);
    }

    @Test
    void eventAndMessageIdsMintedInTheSameMillisecondShareNothingButTheirTimestamp() {
        Map<Long, List<UUID>> byMillisecond = new LinkedHashMap<>();
        List<UUID> all = new ArrayList<>();
        for (int i = 0; i < MANY; i++) {
            UUID id = i % 2 == 0 ? UUID.fromString(Ids.eventId()) : fromMessageId(Ids.messageId());
            assertThat(id.version()).as("version of %s", id).isEqualTo(7);
            assertThat(id.variant()).as("variant of %s", id).isEqualTo(2);
            byMillisecond.computeIfAbsent(id.getMostSignificantBits() >>> 16, ms -> new ArrayList<>()).add(id);
            all.add(id);
        }
        List<List<UUID>> crowded = byMillisecond.values().stream().filter(ids -> ids.size() > 1).toList();
        assertThat(crowded).as("milliseconds in which the loop minted several ids").isNotEmpty();

        Set<BigInteger> randomParts = new HashSet<>();
        for (List<UUID> sameMillisecond : crowded) {
            for (int i = 1; i < sameMillisecond.size(); i++) {
                BigInteger previous = randomPart(sameMillisecond.get(i - 1));
                BigInteger next = randomPart(sameMillisecond.get(i));
                assertThat(next.subtract(previous).abs()).as("distance from %s to %s",
                        sameMillisecond.get(i - 1), sameMillisecond.get(i)).isGreaterThan(SMALL);
            }
            sameMillisecond.forEach(id -> assertThat(randomParts.add(randomPart(id))).as("random part of %s is new", id).isTrue());
        }
        // 74 random bits: rand_a and rand_b each take both values in every position.
        assertEveryBitVaries(all, 0x0FFFL, 0x3FFF_FFFF_FFFF_FFFFL);
    }

    /** {@code msg_} and 32 hex digits, which are a UUIDv7 without its dashes. */
    private static UUID fromMessageId(String messageId) {
        assertThat(messageId).matches("msg_[0-9a-f]{12}7[0-9a-f]{3}[89ab][0-9a-f]{15}");
        String hex = messageId.substring(4);
        return UUID.fromString(hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20));
    }

    /** rand_a (12 bits) followed by rand_b (62 bits) of a UUIDv7. */
    private static BigInteger randomPart(UUID id) {
        long randA = id.getMostSignificantBits() & 0x0FFFL;
        long randB = id.getLeastSignificantBits() & 0x3FFF_FFFF_FFFF_FFFFL;
        return BigInteger.valueOf(randA).shiftLeft(62).or(BigInteger.valueOf(randB));
    }

    private static void assertEveryBitVaries(List<UUID> ids, long msbRandomMask, long lsbRandomMask) {
        long msbOnes = 0, msbZeros = 0, lsbOnes = 0, lsbZeros = 0;
        for (UUID id : ids) {
            msbOnes |= id.getMostSignificantBits();
            msbZeros |= ~id.getMostSignificantBits();
            lsbOnes |= id.getLeastSignificantBits();
            lsbZeros |= ~id.getLeastSignificantBits();
        }
        assertThat(Long.toBinaryString(msbOnes & msbZeros & msbRandomMask)).as("high random bits that varied")
                .isEqualTo(Long.toBinaryString(msbRandomMask));
        assertThat(Long.toBinaryString(lsbOnes & lsbZeros & lsbRandomMask)).as("low random bits that varied")
                .isEqualTo(Long.toBinaryString(lsbRandomMask));
    }
}
