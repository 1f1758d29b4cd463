import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fault test: a burst of 200 broken messages (not JSON, cut-off JSON, JSON of the wrong shape) in the middle of 2,000
 * valid events, read by lesson 08's Kafka table and views: every valid event arrives in music_events, every broken
 * message is in kafka_errors. (ErrorsViewTest has single broken messages; this is a burst.)
 */
class FaultClickHouseBurstTest {
    private static final int VALID_BEFORE = 1_000;
    private static final int BURST = 200;
    private static final int VALID_AFTER = 1_000;
    private static final List<String> KINDS = List.of(
            "hello, not json",
            "{\"event_params\": {\"event_type_id\": 1,",
            "[1, 2, 3]",
            "{\"user\": \"wrong shape\"}");

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aBurstOfBrokenMessagesLandsInTheErrorsTableAndEveryValidEventArrives() throws Exception {
        Assumptions.assumeFalse("exercises".equals(System.getProperty("course.code")), "fault tests run against the solutions");
        TestClickHouse.Found found = TestClickHouse.get(); // skips, saying why, when there is no ClickHouse
        ClickHouse ch = found.clickhouse();
        LabConfig lab = TestLab.config();
        String topic = TestLab.unique("music_events_burst");
        LabKafka.ensureTopic(lab, topic, 1); // one partition: the burst is one contiguous run of offsets

        Clickstream stream = new Clickstream(12, 500, 200, Instant.parse("2026-11-24T16:00:00Z").toEpochMilli());
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < VALID_BEFORE; i++) {
            values.add(stream.next().toBytes());
        }
        for (int i = 0; i < BURST; i++) {
            values.add(KINDS.get(i % KINDS.size()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        for (int i = 0; i < VALID_AFTER; i++) {
            values.add(stream.next().toBytes());
        }
        TestTopics.produceRaw(lab, topic, values);

        Map<String, String> params = Map.of("kafka_broker_list", found.kafkaBrokerList(), "music_events", topic);
        long start = System.nanoTime();
        try {
            MusicEventsPipeline.start(ch, found.kafkaBrokerList(), topic, "none", null);
            long events = ClickHouse.awaitAtLeast(() -> ch.count("SELECT count() FROM music_events"), VALID_BEFORE + VALID_AFTER,
                    Duration.ofSeconds(60));
            long errors = ClickHouse.awaitAtLeast(() -> ch.count("SELECT count() FROM kafka_errors WHERE kafka_topic = '" + topic + "'"),
                    BURST, Duration.ofSeconds(30));
            System.out.printf("[fault] ClickHouse: %,d events and %,d errors in %.1f s%n", events, errors, (System.nanoTime() - start) / 1e9);

            assertThat(events).as("valid events in music_events (before and after the burst)").isEqualTo(VALID_BEFORE + VALID_AFTER);
            assertThat(ch.count("SELECT count() FROM music_events WHERE kafka_offset >= " + (VALID_BEFORE + BURST)))
                    .as("valid events after the burst: the stream went on").isEqualTo(VALID_AFTER);
            assertThat(errors).as("broken messages in kafka_errors").isEqualTo(BURST);
            assertThat(ch.count("SELECT count() FROM kafka_errors WHERE kafka_topic = '" + topic + "' AND kafka_offset >= " + VALID_BEFORE
                    + " AND kafka_offset < " + (VALID_BEFORE + BURST))).as("errors at the burst's offsets").isEqualTo(BURST);
            assertThat(ch.count("SELECT uniqExact(kafka_offset) FROM music_events")).as("distinct offsets in music_events")
                    .isEqualTo(VALID_BEFORE + VALID_AFTER);
        } finally {
            MusicEventsPipeline.stop(ch); // stop consuming in the background
        }
    }
}
