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
        // the original's loop, in Java
        for (PartitionInfo p : consumer.partitionsFor(topic)) {
            consumer.assign(List.of(new TopicPartition(topic, p.partition())));
        }
        // TODO 03.4.1: this loop is the original's bug: what does each assign() do to the assignment before it? Fix
        //  the loop so the consumer gets every partition of the topic, then delete this Todo line.
        Todo.todo("03.4", 1, "fix the loop so that every partition is assigned, not only the last");
        return consumer.assignment();
    }
}
