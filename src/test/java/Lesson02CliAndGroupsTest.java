import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Lesson 02: a consumer group's committed offsets, checked at the broker (Admin client and Kafka's own
 * kafka-consumer-groups), not by trusting what the reader returns. Ordered like the exercise's TODOs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Lesson02CliAndGroupsTest {
    /** How long a run waits for one more record before it stops: short, the messages are already there. */
    private static final Duration IDLE = Duration.ofSeconds(1);

    @Test
    @Order(1)
    void theGroupCommitsByHandAndANewGroupStartsAtTheEarliestOffset() {
        Properties config = GroupReader.groupConfig(TestLab.config(), "some-group");
        assertThat(config.getProperty(ConsumerConfig.GROUP_ID_CONFIG)).as("group.id").isEqualTo("some-group");
        assertThat(config.getProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG))
                .as("enable.auto.commit: offsets are committed by the code, after processing, not on a timer").isEqualTo("false");
        assertThat(config.getProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG))
                .as("auto.offset.reset: a new group must not skip what was written before it joined").isEqualTo("earliest");
    }

    @Test
    @Order(2)
    void afterARunTheGroupsCommittedOffsetsAreTheLogEndOffsets() {
        LabConfig lab = TestLab.config();
        String topic = topic(3);
        String group = TestLab.unique("group");
        List<String> written = produce(lab, topic, "first", 30);

        List<String> read = GroupReader.readNew(lab, topic, group, IDLE);

        assertThat(read).as("a new group reads every message once").containsExactlyInAnyOrderElementsOf(written);
        Map<Integer, Long> end = LabTopics.endOffsets(lab, topic);
        assertThat(committed(lab, group, topic)).as("committed offsets at the broker = log-end offsets (lag 0 on every partition)")
                .isEqualTo(end);
        assertThat(end.values().stream().mapToLong(Long::longValue).sum()).as("messages in the log").isEqualTo(30);
    }

    @Test
    @Order(3)
    void aSecondRunOfTheSameGroupReadsNothing() {
        LabConfig lab = TestLab.config();
        String topic = topic(3);
        String group = TestLab.unique("group");
        produce(lab, topic, "first", 20);
        assertThat(GroupReader.readNew(lab, topic, group, IDLE)).as("first run").hasSize(20);
        Map<Integer, Long> afterFirst = committed(lab, group, topic);

        assertThat(GroupReader.readNew(lab, topic, group, IDLE))
                .as("the second run starts at the group's committed offsets: nothing new, nothing read").isEmpty();
        assertThat(committed(lab, group, topic)).as("committed offsets unchanged by a run that read nothing").isEqualTo(afterFirst);
    }

    @Test
    @Order(4)
    void messagesWrittenAfterARunAreReadExactlyOnceByTheNextRuns() {
        LabConfig lab = TestLab.config();
        String topic = topic(3);
        String group = TestLab.unique("group");
        produce(lab, topic, "old", 15);
        assertThat(GroupReader.readNew(lab, topic, group, IDLE)).as("first run").hasSize(15);

        List<String> newer = produce(lab, topic, "new", 7);
        assertThat(GroupReader.readNew(lab, topic, group, IDLE)).as("the next run reads the 7 new messages, none of the old")
                .containsExactlyInAnyOrderElementsOf(newer);
        assertThat(GroupReader.readNew(lab, topic, group, IDLE)).as("and the run after that reads nothing").isEmpty();
        assertThat(committed(lab, group, topic)).as("committed = log end after reading the new ones")
                .isEqualTo(LabTopics.endOffsets(lab, topic));
    }

    @Test
    @Order(5)
    void aNewGroupStartsAtTheEarliestOffsetAndReadsEverythingAgain() {
        LabConfig lab = TestLab.config();
        String topic = topic(2);
        String first = TestLab.unique("group");
        String second = TestLab.unique("group");
        List<String> written = produce(lab, topic, "m", 12);
        assertThat(GroupReader.readNew(lab, topic, first, IDLE)).as("the first group").containsExactlyInAnyOrderElementsOf(written);
        Map<Integer, Long> firstsOffsets = committed(lab, first, topic);

        assertThat(GroupReader.readNew(lab, topic, second, IDLE))
                .as("another group has offsets of its own: it starts at the earliest offset and reads everything")
                .containsExactlyInAnyOrderElementsOf(written);
        assertThat(committed(lab, second, topic)).as("the second group's commits").isEqualTo(LabTopics.endOffsets(lab, topic));
        assertThat(committed(lab, first, topic)).as("the first group's commits are its own, untouched").isEqualTo(firstsOffsets);
    }

    @Test
    @Order(6)
    void readingWithoutAGroupReadsEverythingAndCommitsNothing() throws Exception {
        LabConfig lab = TestLab.config();
        String topic = topic(3);
        List<String> written = produce(lab, topic, "m", 20);
        String group = TestLab.unique("group");
        assertThat(GroupReader.readNew(lab, topic, group, IDLE)).as("a group reads it all first").hasSize(20);
        Map<Integer, Long> groupOffsets = committed(lab, group, topic);

        List<String> read = GroupReader.readAllWithoutGroup(lab, topic);

        assertThat(read).as("no group: every message, whatever any group has read").containsExactlyInAnyOrderElementsOf(written);
        assertThat(groupsWithOffsetsFor(lab, topic)).as("groups at the broker holding offsets of this topic: only the one that "
                + "read it as a group; reading without a group committed nothing anywhere").containsExactly(group);
        assertThat(committed(lab, group, topic)).as("the group's offsets are untouched").isEqualTo(groupOffsets);
    }

    @Test
    @Order(7)
    void kafkaConsumerGroupsDescribeShowsLagZeroAfterARunAndTheUnreadMessagesAfterMoreAreWritten() {
        LabConfig lab = TestLab.config();
        String topic = topic(3);
        String group = TestLab.unique("group");
        produce(lab, topic, "m", 25);
        assertThat(GroupReader.readNew(lab, topic, group, IDLE)).as("the run").hasSize(25);

        List<Map<String, String>> rows = describe(lab, group, topic);
        assertThat(rows).as("kafka-consumer-groups --describe: one row per partition of the topic").hasSize(3);
        for (Map<String, String> row : rows) {
            assertThat(row.get("LAG")).as("LAG of partition %s after the run", row.get("PARTITION")).isEqualTo("0");
            assertThat(row.get("CURRENT-OFFSET")).as("CURRENT-OFFSET (committed) = LOG-END-OFFSET, partition %s", row.get("PARTITION"))
                    .isEqualTo(row.get("LOG-END-OFFSET"));
        }
        assertThat(rows.stream().mapToLong(r -> Long.parseLong(r.get("LOG-END-OFFSET"))).sum())
                .as("LOG-END-OFFSETs add up to the messages written").isEqualTo(25);

        produce(lab, topic, "later", 4);
        assertThat(describe(lab, group, topic).stream().mapToLong(r -> Long.parseLong(r.get("LAG"))).sum())
                .as("LAG = LOG-END-OFFSET - CURRENT-OFFSET: the 4 messages written since, unread by the group").isEqualTo(4);
    }

    // --- helpers: the test's own producer and its own questions to the broker --------------------------------------

    private static String topic(int partitions) {
        String topic = TestLab.unique("lesson02");
        LabKafka.ensureTopic(TestLab.config(), topic, partitions);
        return topic;
    }

    /** Writes {@code count} distinct values (keyed, so they spread over the partitions); returns them. */
    private static List<String> produce(LabConfig lab, String topic, String prefix, int count) {
        Properties props = lab.kafkaProperties();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        // the test counts on every message being in the log before it reads
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        List<String> values = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < count; i++) {
                String value = prefix + "-" + i + "-" + TestLab.unique("v");
                producer.send(new ProducerRecord<>(topic, "key-" + i, value));
                values.add(value);
            }
            producer.flush();
        }
        return values;
    }

    /** The group's committed offsets for the topic, as the broker has them (Admin listConsumerGroupOffsets). */
    private static Map<Integer, Long> committed(LabConfig lab, String group, String topic) {
        return LabTopics.committedOffsets(lab, group, topic);
    }

    /** Every group at the broker (of any kind) that has a committed offset for a partition of {@code topic}. */
    private static List<String> groupsWithOffsetsFor(LabConfig lab, String topic) throws Exception {
        try (Admin admin = LabKafka.admin(lab)) {
            Map<String, ListConsumerGroupOffsetsSpec> all = new HashMap<>();
            for (GroupListing g : admin.listGroups().all().get(15, TimeUnit.SECONDS)) {
                all.put(g.groupId(), new ListConsumerGroupOffsetsSpec());
            }
            List<String> holding = new ArrayList<>();
            if (all.isEmpty()) {
                return holding;
            }
            ListConsumerGroupOffsetsResult offsets = admin.listConsumerGroupOffsets(all);
            for (String groupId : all.keySet()) {
                Map<TopicPartition, OffsetAndMetadata> byPartition;
                try {
                    byPartition = offsets.partitionsToOffsetAndMetadata(groupId).get(15, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    continue; // a group that is gone by now, or of a kind without offsets
                }
                if (byPartition.keySet().stream().anyMatch(tp -> tp.topic().equals(topic))) {
                    holding.add(groupId);
                }
            }
            return holding;
        }
    }

    /** Runs Kafka's real kafka-consumer-groups --describe and returns the rows of its table for {@code topic}. */
    private static List<Map<String, String>> describe(LabConfig lab, String group, String topic) {
        KafkaTools.Result result = KafkaTools.run(lab, KafkaTools.Tool.CONSUMER_GROUPS, Duration.ofSeconds(40),
                "--describe", "--group", group);
        assertThat(result.exitCode()).as("exit code of kafka-consumer-groups --describe; it printed:%n%s%n%s", result.out(), result.err())
                .isZero();
        List<Map<String, String>> rows = KafkaTools.table(result.out()).stream()
                .filter(r -> topic.equals(r.get("TOPIC"))).toList();
        assertThat(rows).as("rows of the printed table for %s:%n%s", topic, result.out()).isNotEmpty()
                .allSatisfy(r -> assertThat(r).containsKeys("PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG"));
        return rows;
    }
}
