import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Exercise 06.2 (HivePath): every object lies in a Hive-style folder named by its rows' EVENT date (UTC) and type:
 * {@code <topic>/event_date=2026-11-23/event_type=track_playback/...}, the layout lesson 09's s3() reads as columns.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HivePathTest {
    @Test
    void theFolderIsKeyEqualsValueByTheEventsDateAndType() {
        assertThat(new HivePath().folder("music_events", LocalDate.of(2026, 11, 24), EventType.SKIPPING_TRACK_PREV))
                .as("the folder of a skipping_track_prev event of 24 Nov 2026 (Hive style: key=value parts, no slash at the end)")
                .isEqualTo("music_events/event_date=2026-11-24/event_type=skipping_track_prev");
    }

    @Test
    void eachRowIsStoredUnderItsOwnEventDateAndTypeAcrossMidnight() throws Exception {
        LabConfig lab = TestLab.config().withBucket(TestLab.unique("hive"));
        String topic = TestLab.unique("music_events");
        List<MusicEvent> produced = Lesson06S3SinkTest.produce(lab, topic, 2, 1_200, 21); // event times cross midnight UTC
        ParquetSink.create(lab, ParquetSinkEngine.Options.defaults(topic, TestLab.unique("sink062")).batchSize(300)
                .stopWhenIdle(Duration.ofSeconds(2)).retryFor(Duration.ofSeconds(20)).log(line -> System.out.println("  [sink] " + line))).run();

        Map<String, List<EventParquet.Row>> lake = Lesson06S3SinkTest.lake(lab, topic);
        assertThat(lake.values().stream().mapToInt(List::size).sum()).as("rows in the lake").isEqualTo(produced.size());
        lake.forEach((key, rows) -> {
            Lake.Key k = Lake.parse(key, 0);
            assertThat(k).as("%s: <topic>/event_date=YYYY-MM-DD/event_type=<name>/<file>", key).isNotNull();
            assertThat(key).as("key of an object").startsWith(topic + "/event_date=");
            assertThat(rows).as("rows of %s", key).allSatisfy(r -> {
                assertThat(r.event().eventDate()).as("event date (UTC) of a row in %s", key).isEqualTo(k.eventDate());
                assertThat(r.event().type().nameEn).as("event type of a row in %s", key).isEqualTo(k.eventType());
            });
        });
        assertThat(lake.keySet().stream().map(k -> Lake.parse(k, 0).eventDate()).distinct().sorted().toList())
                .as("event dates in the lake: the events' own, on both sides of midnight, not the day of writing")
                .containsExactly(LocalDate.of(2026, 11, 23), LocalDate.of(2026, 11, 24));
    }
}
