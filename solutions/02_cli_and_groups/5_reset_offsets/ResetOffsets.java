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
        // the broker looks up each partition's time index: the first offset whose timestamp is >= this (in epoch ms)
        return resetTo(admin, group, topic, OffsetSpec.forTimestamp(time.toEpochMilli()));
    }

    static Map<Integer, Long> resetTo(Admin admin, String group, String topic, OffsetSpec spec) throws Exception {
        int count = admin.describeTopics(List.of(topic)).allTopicNames().get(15, TimeUnit.SECONDS).get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
        for (int p = 0; p < count; p++) {
            ask.put(new TopicPartition(topic, p), spec);
        }
        Map<TopicPartition, OffsetAndMetadata> target = new HashMap<>();
        for (Map.Entry<TopicPartition, ListOffsetsResultInfo> found : admin.listOffsets(ask).all().get(15, TimeUnit.SECONDS).entrySet()) {
            long offset = found.getValue().offset();
            // -1: no message at or after the time in this partition; the group goes on with what is written next
            target.put(found.getKey(), new OffsetAndMetadata(offset >= 0 ? offset : logEnd(admin, found.getKey())));
        }
        // the group's committed offsets are set to these at once; its next member starts there
        admin.alterConsumerGroupOffsets(group, target).all().get(15, TimeUnit.SECONDS);
        Map<Integer, Long> result = new TreeMap<>();
        target.forEach((tp, offset) -> result.put(tp.partition(), offset.offset()));
        return result;
    }

    static long logEnd(Admin admin, TopicPartition tp) throws Exception {
        return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get(15, TimeUnit.SECONDS).offset();
    }
}
