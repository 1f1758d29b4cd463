//SOURCES ../../../lab/kafka/LabKafka.java ../../../lab/teaching/Todo.java
//COMPILE_OPTIONS -encoding UTF-8
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Exercise 03.4: fix the original project's consumer. Two of its consumers called {@code consumer.assign([...])}
 * inside a loop over the partitions, to read every partition of a topic. They read only the last one, and nothing
 * said so. Check it: {@code ./jbang course verify 03.4}
 */
public class AssignAllPartitions {

    /** Makes {@code consumer} (no group) read every partition of {@code topic}; returns its assignment. */
    public static Set<TopicPartition> assignAll(Consumer<String, String> consumer, String topic) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo p : consumer.partitionsFor(topic)) {
            partitions.add(new TopicPartition(topic, p.partition()));
        }
        // one assign() with every partition: each call replaces the whole assignment, it does not add to it
        consumer.assign(partitions);
        return consumer.assignment();
    }
}
