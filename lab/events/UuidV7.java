//COMPILE_OPTIONS -encoding UTF-8
import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;

/**
 * UUID version 7 (RFC 9562): 48 bits of Unix time in milliseconds, then random bits. Unlike the random
 * version 4, these ids sort by creation time, which keeps database indexes and object listings in order.
 */
public final class UuidV7 {
    private static final SecureRandom RANDOM = new SecureRandom();

    private UuidV7() {}

    public static UUID next() {
        return at(System.currentTimeMillis());
    }

    static UUID at(long unixMillis) {
        long randA = RANDOM.nextInt(1 << 12);
        long msb = (unixMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | randA;
        long lsb = (RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }

    /** The creation time written into a version-7 UUID. */
    public static Instant timestamp(UUID uuid) {
        if (uuid.version() != 7) {
            throw new IllegalArgumentException(uuid + " is a version " + uuid.version() + " UUID, not version 7");
        }
        return Instant.ofEpochMilli(uuid.getMostSignificantBits() >>> 16);
    }
}
