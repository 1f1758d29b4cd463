//SOURCES ../LabConfig.java ../LabException.java ../kafka/LabKafka.java ../kafka/LabTopics.java
//COMPILE_OPTIONS -encoding UTF-8
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a consumer group will start reading a topic, per partition: the offset it committed, or, for a partition it
 * never committed, the partition's first offset (ClickHouse's Kafka engine starts a new group at the earliest). Asked
 * just before a ClickHouse Kafka table starts consuming, it is the {@code {group_starts}} of
 * sql/08_5_start_consuming.sql: ClickHouse never learns where its consumer started, and without it an empty message
 * at the very start of a partition would leave no trace.
 */
public final class KafkaTableStart {
    private KafkaTableStart() {}

    /** Partition → the first offset the group will read. */
    public static Map<Integer, Long> of(LabConfig lab, String group, String topic) {
        Map<Integer, Long> committed = LabTopics.committedOffsets(lab, group, topic);
        Map<Integer, Long> starts = new TreeMap<>();
        try (Admin admin = LabKafka.admin(lab)) {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(15, TimeUnit.SECONDS).get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                earliest.put(new TopicPartition(topic, p), OffsetSpec.earliest());
            }
            admin.listOffsets(earliest).all().get(15, TimeUnit.SECONDS)
                    .forEach((tp, info) -> starts.put(tp.partition(), committed.getOrDefault(tp.partition(), info.offset())));
        } catch (ExecutionException | TimeoutException e) {
            throw new LabException("Could not read where group '" + group + "' starts on '" + topic + "' at " + lab.kafkaBootstrap()
                    + ": " + LabKafka.rootMessage(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while reading the offsets of " + topic, e);
        }
        return starts;
    }

    /** The starts as SQL values, {@code (0, 1200), (1, 0), (2, 1187)}: the {@code {group_starts}} placeholder. */
    public static String sqlValues(Map<Integer, Long> starts) {
        return starts.entrySet().stream().map(e -> "(" + e.getKey() + ", " + e.getValue() + ")").collect(Collectors.joining(", "));
    }
}
