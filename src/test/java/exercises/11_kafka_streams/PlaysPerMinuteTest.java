import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exercise 11.2: plays per track in 1-minute tumbling windows, with 30 s of grace. Under Kafka's TopologyTestDriver
 * time moves only with the records (each record's own timestamp here, so this test does not need exercise 11.1),
 * which makes windows and lateness exact. The application against a real broker: Lesson11KafkaStreamsTest.
 */
class PlaysPerMinuteTest {
    private static final Instant T = Instant.parse("2026-11-30T10:00:00Z");

    private static ClickstreamTopology.Parts parts() {
        return new ClickstreamTopology.Parts(null, new PlaysPerMinute(), null, null);
    }

    @Test
    void countsEachTracksPlaysPerMinuteAndNothingElse(@TempDir Path state) {
        ClickstreamTopology.Options options = ClickstreamTopology.Options.defaults(TestStreams.INPUT, "plays-test");
        try (TestStreams.Driver app = TestStreams.driver(options, parts(), state)) {
            app.send(TestStreams.play("u1", "track-a", T.plusSeconds(5)));
            app.send(TestStreams.play("u2", "track-a", T.plusSeconds(59)));
            app.send(TestStreams.play("u1", "track-b", T.plusSeconds(30)));
            app.send(TestStreams.pause("u1", "track-b", T.plusSeconds(31)));
            app.send(TestStreams.skip("u2", "track-a", "track-b", T.plusSeconds(40)));
            app.send(TestStreams.like("u3", T.plusSeconds(45)));
            app.send(TestStreams.play("u3", "track-a", T.plusSeconds(60)));
            app.sendRaw("u4", "{\"not\": \"a music event\"}".getBytes(StandardCharsets.UTF_8), T.plusSeconds(61));

            String a = TestStreams.id("track-a");
            String b = TestStreams.id("track-b");
            Map<String, String> expected = Map.of(
                    a + "@2026-11-30T10:00:00Z", "2",  // 10:00:05 and 10:00:59
                    b + "@2026-11-30T10:00:00Z", "1",  // a pause, a skip and a like are not plays
                    a + "@2026-11-30T10:01:00Z", "1"); // 10:01:00 opens the next window
            assertThat(app.latest(options.playsTopic())).as("plays per track per window on the output topic (latest value per key)")
                    .isEqualTo(expected);
            org.apache.kafka.streams.state.WindowStore<String, org.apache.kafka.streams.state.ValueAndTimestamp<Long>> store = app.driver().getTimestampedWindowStore(ClickstreamTopology.PLAYS_STORE);
            assertThat(store.fetch(a, T.toEpochMilli()).value()).as("the window store answers the same: track-a at 10:00").isEqualTo(2L);
            assertThat(store.fetch(a, T.plusSeconds(60).toEpochMilli()).value()).as("track-a at 10:01").isEqualTo(1L);
        }
    }

    @Test
    void aLateEventCountsWithinGraceAndIsDroppedAfterIt(@TempDir Path state) {
        ClickstreamTopology.Options options = ClickstreamTopology.Options.defaults(TestStreams.INPUT, "late-test")
                .grace(Duration.ofSeconds(30));
        try (TestStreams.Driver app = TestStreams.driver(options, parts(), state)) {
            String window = TestStreams.id("track-a") + "@2026-11-30T10:00:00Z";
            app.send(TestStreams.play("u1", "track-a", T.plusSeconds(10)));
            app.send(TestStreams.play("u2", "track-b", T.plusSeconds(80))); // stream time 10:01:20: window 10:00 ended, grace runs to 10:01:30
            app.send(TestStreams.play("u3", "track-a", T.plusSeconds(50))); // 30 s late, within grace
            assertThat(app.latest(options.playsTopic())).as("a play 30 s late, while the 10:00 window is in its grace period")
                    .containsEntry(window, "2");

            app.send(TestStreams.play("u2", "track-b", T.plusSeconds(95))); // stream time 10:01:35: the 10:00 window is closed
            app.send(TestStreams.play("u4", "track-a", T.plusSeconds(55))); // 40 s late: too late
            assertThat(app.driver().<String, Long>getTimestampedWindowStore(ClickstreamTopology.PLAYS_STORE).fetch(TestStreams.id("track-a"), T.toEpochMilli()).value())
                    .as("the 10:00 window after a play arrived for it once the window had closed").isEqualTo(2L);
            assertThat(app.dropped()).as("records Kafka Streams dropped as too late (metric dropped-records-total)").isEqualTo(1.0);
        }
    }
}
