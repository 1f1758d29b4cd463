import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.clickhouse.client.api.query.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exercise 08.3: every message that is no event lands in kafka_errors with its offset, why, and its bytes (capped),
 * and the stream goes on after it. One partition, so the offsets of the broken messages are known in advance.
 */
class ErrorsViewTest {
    private static final List<String> BROKEN = List.of("hello, not json", "{\"event_params\": {\"event_type_id\": 1,",
            "{\"user\": \"wrong shape\"}", "[1, 2, 3]", "{\"event_params\": {}, \"event_timestamp_ms\": {}}");
    private static final int VALID_BETWEEN = 100;
    private static final Map<Long, String> brokenAt = new HashMap<>();
    private static ClickHouse ch;
    private static String topic;
    private static long total;

    @BeforeAll
    static void consumeBrokenMessagesAmongEvents() {
        Path errors = MusicEventsPipeline.exercise("08.3", "kafka_errors_mv.sql", 1,
                "send every message music_event_error(raw) finds fault with to kafka_errors, with why and its bytes");
        TestClickHouse.Found found = TestClickHouse.get();
        ch = found.clickhouse();
        LabConfig lab = TestLab.config();
        topic = TestLab.unique("music_events_083");
        LabKafka.ensureTopic(lab, topic, 1);
        Clickstream stream = new Clickstream(83, 500, 100, Instant.parse("2026-11-24T10:00:00Z").toEpochMilli());
        List<byte[]> values = new ArrayList<>();
        for (String bad : BROKEN) {
            for (int i = 0; i < VALID_BETWEEN; i++) {
                values.add(stream.next().toBytes());
            }
            brokenAt.put((long) values.size(), bad);
            values.add(bad.getBytes(StandardCharsets.UTF_8));
        }
        for (int i = 0; i < VALID_BETWEEN; i++) {
            values.add(stream.next().toBytes());
        }
        TestTopics.produceRaw(lab, topic, values);
        total = values.size();
        MusicEventsPipeline.start(ch, found.kafkaBrokerList(), topic, "08.3", errors);
        MusicEventsPipeline.awaitVerdicts(ch, topic, total, Duration.ofSeconds(60));
    }

    @AfterAll
    static void stopConsuming() {
        if (ch != null) {
            MusicEventsPipeline.stop(ch);
        }
    }

    @Test
    void everyBrokenMessageIsInKafkaErrorsWithWhyAndItsBytes() {
        Map<Long, GenericRecord> errorAt = new HashMap<>();
        ch.query("SELECT kafka_offset, error, raw_message FROM kafka_errors WHERE kafka_topic = '" + topic + "'")
                .forEach(r -> errorAt.put(r.getLong("kafka_offset"), r));
        assertThat(errorAt.keySet()).as("offsets in kafka_errors").containsExactlyInAnyOrderElementsOf(brokenAt.keySet());
        brokenAt.forEach((offset, bad) -> {
            assertThat(errorAt.get(offset).getString("error")).as("why %s is no event", bad).isNotBlank();
            assertThat(errorAt.get(offset).getString("raw_message")).as("the bytes of the message at offset %d", offset).isEqualTo(bad);
        });
    }

    @Test
    void theStreamWentOnAfterEachBrokenMessage() {
        assertThat(ch.count("SELECT count() FROM music_events WHERE kafka_topic = '" + topic + "'")).as("valid events in music_events")
                .isEqualTo(total - BROKEN.size());
        long last = brokenAt.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(ch.count("SELECT count() FROM music_events WHERE kafka_topic = '" + topic + "' AND kafka_offset > " + last))
                .as("events after the last broken message").isEqualTo(VALID_BETWEEN);
    }
}
