//SOURCES ../../../lab/kafka/LabKafka.java ../../../lab/teaching/Todo.java
//COMPILE_OPTIONS -encoding UTF-8
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Exercise 02.3: read a whole topic with no group. A consumer with no {@code group.id} belongs to no group: no
 * coordinator hands it partitions and it has nowhere to commit to, so reading this way moves nobody's offsets.
 * It takes the partitions itself ({@code assign}) and chooses where to start ({@code seek...}).
 * Check it: {@code ./jbang course verify 02.3}
 */
public class ReadWithoutGroup {

    /** Every record {@code topic} holds now, from each partition's first offset to its end, read by {@code consumer} (no group). */
    public static List<ConsumerRecord<String, String>> readAll(Consumer<String, String> consumer, String topic) {
        // the topic's partitions, as the cluster's metadata lists them
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        // assign, not subscribe: we take the partitions ourselves, no group coordinator decides
        consumer.assign(partitions);
        // and we choose where to start: the first offset each partition still has (without a group, the default
        // auto.offset.reset=latest would start at the end and read nothing)
        consumer.seekToBeginning(partitions);
        // "everything" = up to the end of the log as it is now; later messages are not waited for
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("reading " + topic + " to its end took more than 30 s (" + records.size() + " read)");
            }
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
        }
        return records;
    }
}
