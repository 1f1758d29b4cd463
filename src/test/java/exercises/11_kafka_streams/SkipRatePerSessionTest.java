import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exercise 11.3: plays and skips per user in session windows (a 30-minute gap), under Kafka's TopologyTestDriver with
 * each record's own timestamp. The sessions topic says {@code user@first/last event -> "plays,skips"}.
 */
class SkipRatePerSessionTest {
    private static final Instant T = Instant.parse("2026-11-30T10:00:00Z");

    private static ClickstreamTopology.Parts parts() {
        return new ClickstreamTopology.Parts(null, null, new SkipRatePerSession(), null);
    }

    @Test
    void aSessionEndsAfterThirtyMinutesWithoutAnEventAndCountsPlaysAndSkips(@TempDir Path state) {
        ClickstreamTopology.Options options = ClickstreamTopology.Options.defaults(TestStreams.INPUT, "sessions-test")
                .sessionGap(Duration.ofMinutes(30));
        try (TestStreams.Driver app = TestStreams.driver(options, parts(), state)) {
            app.send(TestStreams.play("u1", "a", T));
            app.send(TestStreams.skip("u2", "a", "b", T.plus(Duration.ofMinutes(1))));
            app.send(TestStreams.skip("u1", "a", "b", T.plus(Duration.ofMinutes(5))));
            app.send(TestStreams.pause("u1", "b", T.plus(Duration.ofMinutes(6))));
            app.send(TestStreams.play("u1", "c", T.plus(Duration.ofMinutes(29))));  // 24 min after the skip: same session
            app.send(TestStreams.play("u1", "d", T.plus(Duration.ofMinutes(90))));  // 61 min of silence: a new session

            Map<String, String> sessions = app.latest(options.sessionsTopic());
            String u1 = TestStreams.id("u1");
            assertThat(sessions).as("sessions on the output topic, \"plays,skips\" (the pause is neither)").isEqualTo(Map.of(
                    u1 + "@2026-11-30T10:00:00Z/2026-11-30T10:29:00Z", "2,1",
                    u1 + "@2026-11-30T11:30:00Z/2026-11-30T11:30:00Z", "1,0",
                    TestStreams.id("u2") + "@2026-11-30T10:01:00Z/2026-11-30T10:01:00Z", "0,1"));
        }
    }

    @Test
    void aLateEventInTheGapMergesTwoSessionsIntoOne(@TempDir Path state) {
        ClickstreamTopology.Options options = ClickstreamTopology.Options.defaults(TestStreams.INPUT, "merge-test")
                .sessionGap(Duration.ofMinutes(30));
        try (TestStreams.Driver app = TestStreams.driver(options, parts(), state)) {
            app.send(TestStreams.play("u1", "a", T));
            app.send(TestStreams.skip("u1", "a", "b", T.plus(Duration.ofMinutes(50))));
            app.send(TestStreams.play("u1", "b", T.plus(Duration.ofMinutes(52))));
            assertThat(app.latest(options.sessionsTopic())).as("before the late event: two sessions, 50 minutes apart").hasSize(2);

            app.send(TestStreams.play("u1", "c", T.plus(Duration.ofMinutes(25)))); // late (stream time is 10:52), in the gap
            assertThat(app.latest(options.sessionsTopic()))
                    .as("a play at 10:25 is within 30 minutes of both: one session 10:00-10:52, the two merged (old keys deleted)")
                    .isEqualTo(Map.of(TestStreams.id("u1") + "@2026-11-30T10:00:00Z/2026-11-30T10:52:00Z", "3,1"));
        }
    }
}
