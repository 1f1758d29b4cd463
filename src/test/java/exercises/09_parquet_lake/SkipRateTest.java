import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.clickhouse.client.api.query.GenericRecord;
import org.junit.jupiter.api.Test;

/** Exercise 09.3: the skip rate per track (skips as uuid_track_prev of a skip, over plays) equals Java's. */
class SkipRateTest {
    private static final int MIN_PLAYS = 20;

    @Test
    void skipRatePerTrackEqualsJavasSkipsOverPlays() {
        Path sql = LakeFixture.exercise("09.3", "skip_rate.sql", 1,
                "write the skip-rate SELECT: skips (as uuid_track_prev of a skip) / plays (track_playback) per track");
        LakeFixture lake = LakeFixture.get().view();
        Map<String, long[]> skipsAndPlays = new HashMap<>();
        for (MusicEvent e : lake.produced) {
            switch (e.type()) {
                case TRACK_PLAYBACK -> skipsAndPlays.computeIfAbsent(e.uuidTrack(), t -> new long[2])[1]++;
                case SKIPPING_TRACK_NEXT, SKIPPING_TRACK_PREV -> skipsAndPlays.computeIfAbsent(e.uuidTrackPrev(), t -> new long[2])[0]++;
                default -> { }
            }
        }
        Map<String, String> expected = new TreeMap<>();
        skipsAndPlays.forEach((track, sp) -> {
            if (sp[1] >= MIN_PLAYS) {
                expected.put(track, sp[0] + " skips / " + sp[1] + " plays");
            }
        });
        List<GenericRecord> rows = lake.ch.queryFile(sql, lake.params());
        Map<String, String> actual = new TreeMap<>();
        for (GenericRecord r : rows) {
            actual.put(r.getString("track"), r.getString("skips") + " skips / " + r.getString("plays") + " plays");
            long[] sp = skipsAndPlays.getOrDefault(r.getString("track"), new long[2]);
            assertThat(r.getDouble("skip_rate")).as("skip_rate of %s (%d skips / %d plays)", r.getString("track"), sp[0], sp[1])
                    .isCloseTo(sp[1] == 0 ? 0 : (double) sp[0] / sp[1], within(0.00006));
        }
        assertThat(expected).as("tracks with at least %d plays (a test needs some)", MIN_PLAYS).hasSizeGreaterThan(3);
        assertThat(actual).as("skips and plays per track with at least %d plays, from %s", MIN_PLAYS, sql).isEqualTo(expected);
        assertThat(rows.stream().map(r -> r.getDouble("skip_rate")).toList()).as("highest skip rate first")
                .isSortedAccordingTo(Comparator.reverseOrder());
    }
}
