//SOURCES MusicEventSerde.java
//COMPILE_OPTIONS -encoding UTF-8
import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * What one listening session of one user adds up to: how many tracks were played, how many were skipped
 * (skipping_track_next or skipping_track_prev). The skip rate is skips per play, as lesson 09 defines it per track.
 * Kept in the session store as the text {@code "plays,skips"}.
 */
public record SkipCounts(long plays, long skips) {
    /** A session with nothing in it yet: where every session's aggregate starts. */
    public static final SkipCounts NONE = new SkipCounts(0, 0);

    /** Skips per play (0 when nothing was played: such a session is all skips, or empty). */
    public double rate() {
        return plays == 0 ? 0 : (double) skips / plays;
    }

    /** The Serde of the session store and of the output topic. */
    public static Serde<SkipCounts> serde() {
        return Serdes.serdeFrom(
                (topic, c) -> c == null ? null : (c.plays + "," + c.skips).getBytes(StandardCharsets.UTF_8),
                (topic, bytes) -> {
                    if (bytes == null) {
                        return null;
                    }
                    String[] parts = new String(bytes, StandardCharsets.UTF_8).split(",");
                    if (parts.length != 2) {
                        throw new SerializationException("not \"plays,skips\": " + new String(bytes, StandardCharsets.UTF_8));
                    }
                    return new SkipCounts(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
                });
    }
}
