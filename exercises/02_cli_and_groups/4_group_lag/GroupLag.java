//SOURCES ../../../lab/kafka/LabKafka.java ../../../lab/teaching/Todo.java
//COMPILE_OPTIONS -encoding UTF-8
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
 * Exercise 02.4: a group's lag, per partition, from the Admin client - the LAG column of
 * {@code kafka-consumer-groups --describe}: the log-end offset (where the next message written will go) minus the
 * group's committed offset (where it will go on reading). Growing lag = a consumer falling behind.
 * Check it: {@code ./jbang course verify 02.4}
 */
public class GroupLag {

    /** Partition number → lag of {@code group} on {@code topic}. A partition the group never committed counts whole. */
    public static Map<Integer, Long> lag(Admin admin, String group, String topic) throws Exception {
        int count = admin.describeTopics(List.of(topic)).allTopicNames().get(15, TimeUnit.SECONDS).get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < count; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        // TODO 02.4.1: what the broker keeps for the group: admin.listConsumerGroupOffsets(group)
        //  .partitionsToOffsetAndMetadata() is the future of TopicPartition -> committed offset (wait for it).
        Map<TopicPartition, OffsetAndMetadata> committed = Todo.todo("02.4", 1, "ask the broker for the group's committed offsets");
        // TODO 02.4.2: each partition's log-end offset: admin.listOffsets(latest).all() (wait for it).
        Map<TopicPartition, ListOffsetsResultInfo> ends = Todo.todo("02.4", 2, "ask the partitions' leaders for their log-end offsets");
        Map<Integer, Long> lag = new TreeMap<>();
        for (TopicPartition tp : latest.keySet()) {
            // TODO 02.4.3: lag.put(partition number, log-end offset minus committed offset); a partition with no commit
            //  (absent or null in 'committed') counts from 0. Then remove the Todo line.
            Todo.todo("02.4", 3, "put each partition's log end minus its committed offset into lag");
        }
        return lag;
    }
}
