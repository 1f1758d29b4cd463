import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Lesson 08 as a whole (each exercise has its own test in exercises/08_clickhouse_kafka_engine/): ClickHouse's Kafka
 * engine reads my_topic and music_events into typed tables, each Kafka table with its own consumer group; messages the
 * engine reads nothing from (an empty one, a tombstone) still get an error row; the original's models share group 'foo'
 * and stop at the first broken message. Runs sql/ and the solved exercises against the shared ClickHouse.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Lesson08ClickHouseKafkaEngineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EVENTS = 300;
    private static final int PEOPLE = 200;
    private static final Duration CONSUME_TIMEOUT = Duration.ofSeconds(60);

    private static String musicTopic;
    private static String peopleTopic;
    private static ClickHouse ch;
    /** Offsets of music_events' empty message and tombstone (one partition, so known in advance). */
    private static final List<Long> silent = new ArrayList<>();
    private static long total;

    @BeforeAll
    static void produceRunTheSqlAndWait() {
        TestClickHouse.Found found = TestClickHouse.get(); // skips, naming what is missing and how to install it
        LabConfig lab = TestLab.config();
        ch = found.clickhouse();
        musicTopic = TestLab.unique("music_events");
        peopleTopic = TestLab.unique("my_topic");
        LabKafka.ensureTopic(lab, musicTopic, 1);
        LabKafka.ensureTopic(lab, peopleTopic, 1);
        Clickstream stream = new Clickstream(8, 2_000, 500, Instant.parse("2026-11-24T10:00:00Z").toEpochMilli());
        List<byte[]> music = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            music.add(stream.next().toBytes());
            if (i == 10) {
                music.add("hello, not json".getBytes(StandardCharsets.UTF_8)); // what stops the original's model
            }
            if (i == EVENTS / 3 || i == 2 * EVENTS / 3) {
                silent.add((long) music.size());
                music.add(i == EVENTS / 3 ? new byte[0] : null); // an empty message, then a tombstone
            }
        }
        TestTopics.produceRaw(lab, musicTopic, music);
        total = music.size();
        List<byte[]> people = new ArrayList<>();
        for (int i = 0; i < PEOPLE; i++) {
            people.add(JSON.createObjectNode().put("uuid", UuidV7.next().toString()).put("first_name", "Имя" + i)
                    .put("last_name", "Фамилия" + i).put("middle_name", "Отчество" + i).put("timestamp", Instant.now().toString())
                    .toString().getBytes(StandardCharsets.UTF_8));
        }
        people.add("not a person".getBytes(StandardCharsets.UTF_8));
        people.add("{\"name\": \"no uuid\"}".getBytes(StandardCharsets.UTF_8));
        TestTopics.produceRaw(lab, peopleTopic, people);

        Map<String, String> params = Map.of("kafka_broker_list", found.kafkaBrokerList(), "my_topic", peopleTopic, "music_events", musicTopic);
        ch.runFile(Path.of("sql/08_2_kafka_errors.sql"), params);
        ch.runFile(Path.of("sql/08_3_my_topic.sql"), params);
        MusicEventsPipeline.start(ch, found.kafkaBrokerList(), musicTopic, "none", null);
        MusicEventsPipeline.awaitVerdicts(ch, musicTopic, total, CONSUME_TIMEOUT);
        ClickHouse.awaitAtLeast(() -> ch.count("SELECT count() FROM people"), PEOPLE, CONSUME_TIMEOUT);
    }

    @AfterAll
    static void stopConsuming() {
        if (ch != null) {
            MusicEventsPipeline.stop(ch);
            for (String t : List.of("my_topic_queue_mv", "people_mv", "people_errors_mv", "my_topic_queue")) {
                ch.execute("DROP TABLE IF EXISTS " + t);
            }
        }
    }

    @Test
    @Order(1)
    void anEmptyMessageAndATombstoneGetAnErrorRowThoughTheEngineReadsNothingFromThem() {
        assertThat(ch.count("SELECT count() FROM music_events WHERE kafka_topic = '" + musicTopic + "'")).as("events").isEqualTo(EVENTS);
        assertThat(ch.query("SELECT kafka_offset FROM kafka_errors WHERE kafka_topic = '" + musicTopic + "' AND raw_message = '' "
                + "ORDER BY kafka_offset"))
                .extracting(r -> r.getLong("kafka_offset")).as("offsets recorded by the gap view: the empty message and the tombstone "
                        + "(and a broken message of the first block if it came before the errors view existed)")
                .containsAll(silent);
        assertThat(MusicEventsPipeline.verdicts(ch, musicTopic)).as("one verdict row per offset of %d", total).isEqualTo(total);
    }

    @Test
    @Order(2)
    void myTopicIsReadIntoTypedPeopleAndItsBrokenMessagesIntoKafkaErrors() {
        assertThat(ch.count("SELECT count() FROM people")).as("rows in people").isEqualTo(PEOPLE);
        Map<String, String> types = new HashMap<>();
        ch.query("SELECT name, type FROM system.columns WHERE database = currentDatabase() AND table = 'people'")
                .forEach(r -> types.put(r.getString("name"), r.getString("type")));
        assertThat(types).as("people's column types").containsEntry("uuid", "UUID").containsEntry("created_at", "DateTime64(6, 'UTC')");
        assertThat(ch.count("SELECT count() FROM people WHERE created_at > now64() - INTERVAL 1 HOUR AND first_name LIKE 'Имя%'"))
                .as("people with a parsed time and their names").isEqualTo(PEOPLE);
        assertThat(ch.query("SELECT raw_message FROM kafka_errors WHERE kafka_topic = '" + peopleTopic + "' ORDER BY kafka_offset"))
                .extracting(r -> r.getString("raw_message")).as("the broken messages of my_topic").hasSize(2).startsWith("not a person");
    }

    @Test
    @Order(3)
    void theTwoKafkaTablesUseDifferentConsumerGroups() throws Exception {
        Map<String, Set<String>> topicsOfGroup = new HashMap<>();
        try (Admin admin = LabKafka.admin(TestLab.config())) {
            for (GroupListing g : admin.listGroups().all().get(10, TimeUnit.SECONDS)) {
                Map<TopicPartition, OffsetAndMetadata> offsets =
                        admin.listConsumerGroupOffsets(g.groupId()).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                Set<String> topics = new HashSet<>();
                offsets.keySet().forEach(tp -> topics.add(tp.topic()));
                topicsOfGroup.put(g.groupId(), topics);
            }
        }
        List<String> musicGroups = groupsReading(topicsOfGroup, musicTopic);
        List<String> peopleGroups = groupsReading(topicsOfGroup, peopleTopic);
        assertThat(musicGroups).as("groups with offsets committed on %s", musicTopic).containsExactly("clickhouse_" + musicTopic);
        assertThat(peopleGroups).as("groups with offsets committed on %s", peopleTopic).containsExactly("clickhouse_" + peopleTopic);
    }

    @Test
    @Order(Integer.MAX_VALUE) // last: its group 'foo' must not be among the groups the test above counts
    void theOriginalsModelsShareGroupFooReadJsonAndStopAtTheFirstBrokenMessage() throws Exception {
        LabConfig lab = TestLab.config();
        String cleanPeople = TestLab.unique("my_topic");
        LabKafka.ensureTopic(lab, cleanPeople, 1);
        List<byte[]> people = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            people.add(JSON.createObjectNode().put("uuid", UuidV7.next().toString()).put("first_name", "Имя").put("last_name", "Фамилия")
                    .put("middle_name", "Отчество").put("timestamp", Instant.now().toString()).toString().getBytes(StandardCharsets.UTF_8));
        }
        TestTopics.produceRaw(lab, cleanPeople, people);
        String foo = TestLab.unique("foo"); // the original's 'foo', in this test's own namespace
        ch.runFile(Path.of("sql/08_1_original.sql"), Map.of("kafka_broker_list", TestClickHouse.get().kafkaBrokerList(),
                "my_topic", cleanPeople, "music_events", musicTopic, "original_group", foo));
        long events = EVENTS;
        try {
            long peopleRows = ClickHouse.awaitAtLeast(() -> ch.count("SELECT count() FROM kafka_simple_event_phys_table"), 50,
                    Duration.ofSeconds(60));
            assertThat(peopleRows).as("kafka_format='JSON' reads one plain object per message (ClickHouse 26.7)").isEqualTo(50);
            long errors = ClickHouse.awaitAtLeast(() -> ch.count("SELECT sum(length(exceptions.text)) FROM system.kafka_consumers "
                    + "WHERE database = currentDatabase() AND table = 'kafka_music_event_consumer'"), 1, Duration.ofSeconds(60));
            assertThat(errors).as("the original's music_events consumer fails at the broken message (system.kafka_consumers)")
                    .isPositive();
            assertThat(ch.count("SELECT count() FROM kafka_music_event_phys_table"))
                    .as("rows the original's model got from %,d events with an empty message among them: the stream stopped", events)
                    .isLessThan(events);
            try (Admin admin = LabKafka.admin(lab)) {
                Set<String> topics = new HashSet<>();
                admin.describeConsumerGroups(List.of(foo)).all().get(10, TimeUnit.SECONDS).get(foo).members()
                        .forEach(m -> m.assignment().topicPartitions().forEach(tp -> topics.add(tp.topic())));
                assertThat(topics).as("topics read by the members of the one group 'foo'").contains(cleanPeople, musicTopic);
            }
        } finally {
            for (String t : List.of("kafka_simple_event_mat_view", "kafka_simple_event_consumer", "kafka_music_event_mat_view",
                    "kafka_music_event_consumer")) {
                ch.execute("DROP TABLE IF EXISTS " + t); // stops the stuck consumer
            }
        }
    }

    private static List<String> groupsReading(Map<String, Set<String>> topicsOfGroup, String topic) {
        return topicsOfGroup.entrySet().stream().filter(e -> e.getValue().contains(topic)).map(Map.Entry::getKey).sorted().toList();
    }

}
