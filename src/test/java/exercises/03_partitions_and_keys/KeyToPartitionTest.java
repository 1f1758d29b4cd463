import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

/** Exercise 03.1: the computed partition is where Kafka's own partitioner, and so the broker, puts a keyed record. */
class KeyToPartitionTest {

    @Test
    void theBrokerHoldsEveryKeyedRecordInThePartitionComputedForItsKey() {
        LabConfig lab = TestLab.config();
        String topic = TestLab.unique("key-to-partition");
        LabKafka.ensureTopic(lab, topic, 3);
        // the test's own producer, with Kafka's default partitioner: keys key-0, key-1, ...
        List<TestTopics.Written> written = TestTopics.produce(lab, topic, "m", 60);
        for (int i = 0; i < written.size(); i++) {
            assertThat(KeyToPartition.partitionFor("key-" + i, 3)).as("partitionFor(\"key-%d\", 3); the broker put it in", i)
                    .isEqualTo(written.get(i).partition());
        }
        Set<Integer> used = new TreeSet<>();
        for (ConsumerRecord<String, String> r : LabTopics.readAll(lab, topic, Duration.ofSeconds(20))) {
            assertThat(r.partition()).as("partition holding key %s, read back from the topic", r.key())
                    .isEqualTo(KeyToPartition.partitionFor(r.key(), 3));
            used.add(r.partition());
        }
        assertThat(used).as("60 keys spread over all 3 partitions").containsExactly(0, 1, 2);
    }

    @Test
    void agreesWithKafkasOwnPartitionerForAnyKeyAndPartitionCount() {
        Random random = new Random(3);
        List<String> keys = new java.util.ArrayList<>(List.of("user-01", "5f0e8c1a-7b7e-4f43-9d8e-0c6c2f0e3b1d", "Ёлка", "",
                "a much longer key than the others, to hash more bytes"));
        for (int i = 0; i < 500; i++) {
            keys.add(Long.toHexString(random.nextLong()) + "-" + i);
        }
        for (String key : keys) {
            for (int partitions : new int[] {1, 2, 3, 7, 12, 100}) {
                assertThat(KeyToPartition.partitionFor(key, partitions)).as("partitionFor(\"%s\", %d)", key, partitions)
                        .isEqualTo(BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), partitions));
            }
        }
    }
}
