import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Exercise 02.4: lag per partition = log end minus committed. The expected numbers come from the test's own sends
 * (where the broker put each message) and commits, not from the Admin client the exercise asks.
 */
class GroupLagTest {

    @Test
    void lagIsTheLogEndMinusTheCommittedOffsetOfEachPartition() throws Exception {
        LabConfig lab = TestLab.config();
        String topic = TestLab.unique("group-lag");
        LabKafka.ensureTopic(lab, topic, 3);
        Map<Integer, Long> written = perPartition(TestTopics.produce(lab, topic, "m", 30));
        String group = TestLab.unique("group");
        // the group read 2 messages of partition 0, all of partition 1, and has never committed partition 2
        commit(lab, group, topic, Map.of(0, 2L, 1, written.get(1)));

        try (Admin admin = LabKafka.admin(lab)) {
            assertThat(GroupLag.lag(admin, group, topic)).as("lag per partition; messages written per partition: %s", written)
                    .isEqualTo(Map.of(0, written.get(0) - 2, 1, 0L, 2, written.get(2)));
        }
    }

    @Test
    void lagGrowsWithWritesAndFallsToZeroWhenTheGroupCommitsTheEnd() throws Exception {
        LabConfig lab = TestLab.config();
        String topic = TestLab.unique("group-lag");
        LabKafka.ensureTopic(lab, topic, 2);
        Map<Integer, Long> first = perPartition(TestTopics.produce(lab, topic, "first", 10));
        String group = TestLab.unique("group");
        Map<Integer, Long> end = new TreeMap<>(Map.of(0, first.getOrDefault(0, 0L), 1, first.getOrDefault(1, 0L)));
        commit(lab, group, topic, end);
        try (Admin admin = LabKafka.admin(lab)) {
            assertThat(GroupLag.lag(admin, group, topic)).as("lag when the group has committed the log end").isEqualTo(Map.of(0, 0L, 1, 0L));

            Map<Integer, Long> more = perPartition(TestTopics.produce(lab, topic, "later", 4));
            assertThat(GroupLag.lag(admin, group, topic)).as("lag after 4 more messages: the ones written since, per partition")
                    .isEqualTo(Map.of(0, more.getOrDefault(0, 0L), 1, more.getOrDefault(1, 0L)));
        }
    }

    /** How many of {@code written} each partition got (the topics are new: that is also each log-end offset). */
    private static Map<Integer, Long> perPartition(List<TestTopics.Written> written) {
        Map<Integer, Long> counts = new TreeMap<>();
        written.forEach(w -> counts.merge(w.partition(), 1L, Long::sum));
        return counts;
    }

    /** Commits {@code offsets} (partition → offset) for {@code group}, as a consumer of that group would. */
    private static void commit(LabConfig lab, String group, String topic, Map<Integer, Long> offsets) {
        Properties props = lab.kafkaProperties();
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        offsets.forEach((p, o) -> commits.put(new TopicPartition(topic, p), new OffsetAndMetadata(o)));
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.commitSync(commits);
        }
    }
}
