//SOURCES ../../../lab/kafka/LabKafka.java ../../../lab/teaching/Todo.java
//COMPILE_OPTIONS -encoding UTF-8
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Exercise 02.5: reset a group's offsets - to re-read everything after a bug fix, or everything since a time -
 * what {@code kafka-consumer-groups --reset-offsets --to-earliest / --to-datetime} does. The group must have no
 * running member (the broker refuses otherwise). Check it: {@code ./jbang course verify 02.5}
 */
public class ResetOffsets {

    /** Moves {@code group} to the first offset of every partition of {@code topic}; returns partition → new offset. */
    public static Map<Integer, Long> toEarliest(Admin admin, String group, String topic) throws Exception {
        return resetTo(admin, group, topic, OffsetSpec.earliest());
    }

    /** Moves {@code group} to the first message at or after {@code time} in every partition (the log end when none is). */
    public static Map<Integer, Long> toTime(Admin admin, String group, String topic, Instant time) throws Exception {
        // TODO 02.5.3: the OffsetSpec of "the first offset whose timestamp is at or after 'time'" (in epoch milliseconds).
        return resetTo(admin, group, topic, Todo.todo("02.5", 3, "ask for the first offset at or after the time"));
    }

    static Map<Integer, Long> resetTo(Admin admin, String group, String topic, OffsetSpec spec) throws Exception {
        int count = admin.describeTopics(List.of(topic)).allTopicNames().get(15, TimeUnit.SECONDS).get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
        for (int p = 0; p < count; p++) {
            ask.put(new TopicPartition(topic, p), spec);
        }
        // TODO 02.5.1: where is 'spec' in each partition? admin.listOffsets(ask).all() answers (wait for it). Put each
        //  answer's offset() into a map TopicPartition -> new OffsetAndMetadata(offset). An answer of -1 means no
        //  message is at or after the asked time: the group then goes on at that partition's logEnd(admin, tp).
        Map<TopicPartition, OffsetAndMetadata> target = Todo.todo("02.5", 1, "find the offsets to reset to");
        // TODO 02.5.2: make them the group's committed offsets: admin.alterConsumerGroupOffsets(group, target).all()
        //  (wait for it). Then remove the Todo line.
        Todo.todo("02.5", 2, "set the group's committed offsets to them");
        Map<Integer, Long> result = new TreeMap<>();
        target.forEach((tp, offset) -> result.put(tp.partition(), offset.offset()));
        return result;
    }

    static long logEnd(Admin admin, TopicPartition tp) throws Exception {
        return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get(15, TimeUnit.SECONDS).offset();
    }
}
