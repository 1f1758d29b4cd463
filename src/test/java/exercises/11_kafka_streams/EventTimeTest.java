import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exercise 11.1: the event-time extractor. A play that reaches Kafka twelve minutes after it happened (a phone that
 * was offline) must count in the minute it was played. The windows are exercise 11.2's (PlaysPerMinute), under
 * Kafka's TopologyTestDriver.
 */
class EventTimeTest {
    private static final Instant PLAYED = Instant.parse("2026-11-30T10:00:30Z");
    private static final Instant ARRIVED = Instant.parse("2026-11-30T10:12:05Z");

    @Test
    void aPlayCountsInTheMinuteItHappenedNotTheMinuteItArrived(@TempDir Path state) {
        MusicEvent play = TestStreams.play("user-1", "track-a", PLAYED);
        long extracted = new EventTime().extract(record(play, ARRIVED), -1);
        assertThat(Instant.ofEpochMilli(extracted)).as("the time of a record whose event happened at %s and reached Kafka at %s",
                PLAYED, ARRIVED).isEqualTo(PLAYED);

        ClickstreamTopology.Options options = ClickstreamTopology.Options.defaults(TestStreams.INPUT, "event-time-test");
        try (TestStreams.Driver app = TestStreams.driver(options,
                new ClickstreamTopology.Parts(new EventTime(), new PlaysPerMinute(), null, null), state)) {
            app.send(play, ARRIVED);
            assertThat(app.latest(options.playsTopic()))
                    .as("plays per track and window: the play counts in 10:00, the minute it was played, not in 10:12")
                    .containsExactlyEntriesOf(java.util.Map.of(TestStreams.id("track-a") + "@2026-11-30T10:00:00Z", "1"));
        }
    }

    @Test
    void aRecordWithoutAnEventGetsThePartitionsTimeNeverANegativeOne() {
        EventTime extractor = new EventTime();
        MusicEvent play = TestStreams.play("user-1", "track-a", PLAYED);
        long partitionTime = extractor.extract(record(play, ARRIVED), -1);

        ConsumerRecord<Object, Object> tombstone = record(null, ARRIVED);
        assertThat(extractor.extract(tombstone, partitionTime))
                .as("a tombstone (no value) after an event: the partition's time so far, the newest event time")
                .isEqualTo(PLAYED.toEpochMilli());
        assertThat(extractor.extract(tombstone, -1))
                .as("a tombstone before any event (partition time -1): the record's Kafka timestamp, never negative")
                .isEqualTo(ARRIVED.toEpochMilli());
    }

    private static ConsumerRecord<Object, Object> record(MusicEvent value, Instant kafkaTime) {
        return new ConsumerRecord<>(TestStreams.INPUT, 0, 42, kafkaTime.toEpochMilli(), TimestampType.CREATE_TIME, 6, 300,
                value == null ? TestStreams.id("user-1") : value.userId(), value, new RecordHeaders(), java.util.Optional.empty());
    }
}
