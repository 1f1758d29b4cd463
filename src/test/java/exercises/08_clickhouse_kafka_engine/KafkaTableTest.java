import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exercise 08.1: the Kafka table reads music_events in a consumer group of its own and hands every message over as one
 * row, so each offset gets exactly one verdict: a row in music_events or in kafka_errors, even for a JSON array of two
 * events (JSONEachRow would make two rows of it) or an empty array (JSONEachRow would make none).
 */
class KafkaTableTest {
    private static final int EVENTS = 600;
    private static final List<String> ARRAYS = List.of("[]", "[{\"a\": 1}, {\"a\": 2}]");
    private static ClickHouse ch;
    private static String topic;
    private static long total;

    @BeforeAll
    static void consumeATopicWithArraysInIt() {
        Path queue = MusicEventsPipeline.exercise("08.1", "music_events_queue.sql", 1,
                "give the Kafka table a consumer group of its own and a format that makes one row per message");
        TestClickHouse.Found found = TestClickHouse.get();
        ch = found.clickhouse();
        LabConfig lab = TestLab.config();
        topic = TestLab.unique("music_events_081");
        LabKafka.ensureTopic(lab, topic, 3);
        Clickstream stream = new Clickstream(81, 500, 100, Instant.parse("2026-11-24T10:00:00Z").toEpochMilli());
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            values.add(stream.next().toBytes());
            if (i % 200 == 100) {
                values.add(ARRAYS.get(i / 200 % ARRAYS.size()).getBytes(StandardCharsets.UTF_8));
            }
        }
        TestTopics.produceRaw(lab, topic, values);
        total = values.size();
        MusicEventsPipeline.start(ch, found.kafkaBrokerList(), topic, "08.1", queue);
        MusicEventsPipeline.awaitVerdicts(ch, topic, total, Duration.ofSeconds(60));
    }

    @AfterAll
    static void stopConsuming() {
        if (ch != null) {
            MusicEventsPipeline.stop(ch);
        }
    }

    @Test
    void everyMessageIsExactlyOneRowOneVerdictPerOffset() {
        assertThat(MusicEventsPipeline.verdicts(ch, topic)).as("rows in music_events + kafka_errors for %d messages", total).isEqualTo(total);
        assertThat(ch.count("SELECT uniqExact(kafka_partition, kafka_offset) FROM (SELECT kafka_partition, kafka_offset FROM music_events "
                + "WHERE kafka_topic = '" + topic + "' UNION ALL SELECT kafka_partition, kafka_offset FROM kafka_errors WHERE kafka_topic = '"
                + topic + "')")).as("distinct (partition, offset) with a verdict: no offset twice, none missing").isEqualTo(total);
        assertThat(ch.count("SELECT count() FROM music_events WHERE kafka_topic = '" + topic + "'")).as("events").isEqualTo(EVENTS);
        assertThat(ch.query("SELECT raw_message FROM kafka_errors WHERE kafka_topic = '" + topic + "' ORDER BY raw_message"))
                .extracting(r -> r.getString("raw_message")).as("the arrays, whole, each once").containsExactlyInAnyOrderElementsOf(
                        List.of(ARRAYS.get(0), ARRAYS.get(1), ARRAYS.get(0)));
    }

    @Test
    void theTableReadsInAGroupOfItsOwnThatCommittedEveryOffset() throws Exception {
        try (Admin admin = LabKafka.admin(TestLab.config())) {
            Set<String> readers = new HashSet<>();
            for (GroupListing g : admin.listGroups().all().get(10, TimeUnit.SECONDS)) {
                Set<TopicPartition> read = admin.listConsumerGroupOffsets(g.groupId()).partitionsToOffsetAndMetadata()
                        .get(10, TimeUnit.SECONDS).keySet();
                if (read.stream().anyMatch(tp -> tp.topic().equals(topic))) {
                    readers.add(g.groupId());
                }
            }
            assertThat(readers).as("groups with offsets committed on %s", topic).containsExactly("clickhouse_" + topic);
            long committed = ClickHouse.awaitAtLeast(() -> committedSum(admin, "clickhouse_" + topic), total, Duration.ofSeconds(20));
            assertThat(committed).as("offsets committed by clickhouse_%s (sum over partitions)", topic).isEqualTo(total);
        }
    }

    private static long committedSum(Admin admin, String group) {
        try {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS).values().stream()
                    .mapToLong(o -> o.offset()).sum();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
