import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Exercise 03.4: the consumer is assigned every partition, and so reads every message - not only the last partition's. */
class AssignAllPartitionsTest {

    @Test
    void everyPartitionIsAssignedAndEveryMessageRead() {
        LabConfig lab = TestLab.config();
        String topic = TestLab.unique("assign-all");
        LabKafka.ensureTopic(lab, topic, 3);
        List<String> written = TestTopics.values(TestTopics.produce(lab, topic, "m", 30));
        Set<TopicPartition> all = Set.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1), new TopicPartition(topic, 2));

        List<ConsumerRecord<String, String>> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(TestTopics.noGroupConfig(lab))) {
            Set<TopicPartition> returned = AssignAllPartitions.assignAll(consumer, topic);
            assertThat(consumer.assignment()).as("the consumer's assignment: all 3 partitions (each assign() replaces the one before)")
                    .isEqualTo(all);
            assertThat(returned).as("what assignAll returned").isEqualTo(all);
            // the test reads what the assignment gives, from the start to the end of each assigned partition
            consumer.seekToBeginning(consumer.assignment());
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (end.keySet().stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(read::add);
            }
        }
        assertThat(read.stream().map(ConsumerRecord::partition).distinct().sorted().toList()).as("partitions read").containsExactly(0, 1, 2);
        assertThat(read.stream().map(ConsumerRecord::value).toList()).as("messages read: all 30, each once")
                .containsExactlyInAnyOrderElementsOf(written);
    }

    @Test
    void aTopicOfOnePartitionIsAssignedThatPartition() {
        LabConfig lab = TestLab.config();
        String topic = TestLab.unique("assign-all");
        LabKafka.ensureTopic(lab, topic, 1);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(TestTopics.noGroupConfig(lab))) {
            assertThat(AssignAllPartitions.assignAll(consumer, topic)).as("assignment of a one-partition topic")
                    .containsExactly(new TopicPartition(topic, 0));
        }
    }
}
