import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/** Exercise 09.2: the top tracks by plays and the events per type per hour (event time, UTC) equal Java's counts. */
class TopTracksTest {
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:00").withZone(ZoneOffset.UTC);

    @Test
    void topTracksByPlaysEqualJavasCount() {
        Path sql = LakeFixture.exercise("09.2", "top_tracks.sql", 1, "write the top-10-tracks SELECT");
        LakeFixture lake = LakeFixture.get().view();
        Map<String, Long> plays = new HashMap<>();
        lake.produced.stream().filter(e -> e.type() == EventType.TRACK_PLAYBACK).forEach(e -> plays.merge(e.uuidTrack(), 1L, Long::sum));
        List<String> expected = plays.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(10).map(e -> e.getKey() + " " + e.getValue()).toList();
        List<String> actual = lake.ch.queryFile(sql, lake.params()).stream().map(r -> r.getString("track") + " " + r.getLong("plays")).toList();
        assertThat(actual).as("top 10 tracks by plays (track plays), ties by track id").isEqualTo(expected);
    }

    @Test
    void eventsPerTypePerHourByEventTimeInUtcEqualJavasCount() {
        Path sql = LakeFixture.exercise("09.2", "events_per_hour.sql", 2, "write the events-per-type-per-hour SELECT");
        LakeFixture lake = LakeFixture.get().view();
        Map<String, Long> expected = new TreeMap<>();
        lake.produced.forEach(e -> expected.merge(HOUR.format(e.eventTime().truncatedTo(ChronoUnit.HOURS)) + " " + e.type().nameEn, 1L, Long::sum));
        Map<String, Long> actual = new LinkedHashMap<>();
        lake.ch.queryFile(sql, lake.params()).forEach(r -> actual.put(r.getString("hour") + " " + r.getString("event_type"), r.getLong("events")));
        assertThat(expected.keySet().stream().map(k -> k.substring(0, 16)).distinct().count()).as("hours the events span").isGreaterThanOrEqualTo(4);
        assertThat(actual).as("events per (hour, type)").isEqualTo(expected);
        assertThat(List.copyOf(actual.keySet())).as("rows ordered by hour, then type").isEqualTo(List.copyOf(expected.keySet()));
    }
}
