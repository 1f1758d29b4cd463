//SOURCES ../LabConfig.java ../LabException.java LabKafka.java
//COMPILE_OPTIONS -encoding UTF-8
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * What the broker itself says about a topic and a group, asked with the Admin client: log-end offsets,
 * committed offsets. Plus a topic read from start to end with no group, and a fresh start for lessons
 * that tell the same story on every run. (Kafka classes only: {@link LabKafka} makes the Admin client.)
 */
public final class LabTopics {
    private static final long WAIT_SECONDS = 15;

    private LabTopics() {}

    /** Partition number → log-end offset: the offset the next message written to that partition will get. */
    public static Map<Integer, Long> endOffsets(LabConfig lab, String topic) {
        try (Admin admin = LabKafka.admin(lab)) {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(WAIT_SECONDS, TimeUnit.SECONDS)
                    .get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<Integer, Long> ends = new TreeMap<>();
            admin.listOffsets(latest).all().get(WAIT_SECONDS, TimeUnit.SECONDS)
                    .forEach((tp, info) -> ends.put(tp.partition(), info.offset()));
            return ends;
        } catch (ExecutionException | TimeoutException e) {
            throw new LabException("Could not read the end offsets of '" + topic + "' at " + lab.kafkaBootstrap() + ": "
                    + LabKafka.rootMessage(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while reading the end offsets of " + topic, e);
        }
    }

    /**
     * Partition number → the offset the group committed for it (the next offset the group will read). Partitions
     * the group never committed are absent; a group that does not exist gives an empty map.
     */
    public static Map<Integer, Long> committedOffsets(LabConfig lab, String groupId, String topic) {
        try (Admin admin = LabKafka.admin(lab)) {
            Map<TopicPartition, OffsetAndMetadata> all = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(WAIT_SECONDS, TimeUnit.SECONDS);
            Map<Integer, Long> committed = new TreeMap<>();
            all.forEach((tp, offset) -> {
                if (tp.topic().equals(topic) && offset != null) {
                    committed.put(tp.partition(), offset.offset());
                }
            });
            return committed;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return new TreeMap<>();
            }
            throw new LabException("Could not read the offsets of group '" + groupId + "': " + LabKafka.rootMessage(e), e);
        } catch (TimeoutException e) {
            throw new LabException("Could not read the offsets of group '" + groupId + "': " + LabKafka.rootMessage(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while reading the offsets of group " + groupId, e);
        }
    }

    /** Deletes consumer groups and their committed offsets; groups that do not exist are fine. Their members must be gone. */
    public static void deleteGroups(LabConfig lab, Collection<String> groupIds) {
        try (Admin admin = LabKafka.admin(lab)) {
            for (var entry : admin.deleteConsumerGroups(groupIds).deletedGroups().entrySet()) {
                try {
                    entry.getValue().get(WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                        throw new LabException("Could not delete group '" + entry.getKey() + "': " + LabKafka.rootMessage(e)
                                + (e.getCause() instanceof org.apache.kafka.common.errors.GroupNotEmptyException
                                        ? " (a consumer of that group is still running: stop it first)" : ""), e);
                    }
                }
            }
        } catch (TimeoutException e) {
            throw new LabException("Could not delete groups " + groupIds + ": " + LabKafka.rootMessage(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while deleting groups " + groupIds, e);
        }
    }

    /** Deletes the topic if it exists and creates it empty, so a lesson tells the same story on every run. */
    public static void recreate(LabConfig lab, String topic, int partitions) {
        try (Admin admin = LabKafka.admin(lab)) {
            try {
                admin.deleteTopics(List.of(topic)).all().get(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (true) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty())))
                            .all().get(WAIT_SECONDS, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException e) {
                    // a deleted topic's name can be taken again only once the deletion has gone through
                    if (!(e.getCause() instanceof TopicExistsException) || System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(100);
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new LabException("Could not re-create topic '" + topic + "' on " + lab.kafkaBootstrap() + ": "
                    + LabKafka.rootMessage(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while re-creating topic " + topic, e);
        }
    }

    /**
     * Hands every record the topic holds now to {@code each}, raw (a tombstone's value is null), partition by partition
     * as they arrive, read with no group; nothing is kept, so a topic of any size fits. A topic that does not exist
     * has no records.
     */
    public static void readEach(LabConfig lab, String topic, Duration timeout, java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> each) {
        readEach(lab, topic, new Properties(), timeout, each);
    }

    /**
     * The same, read with {@code readerSettings} on top (e.g. {@code isolation.level=read_committed}: then "now" ends at
     * the last stable offset, and records of aborted transactions are skipped).
     */
    public static void readEach(LabConfig lab, String topic, Properties readerSettings, Duration timeout,
                                java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Properties props = lab.kafkaProperties();
        props.putAll(readerSettings);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            if (!consumer.listTopics(timeout).containsKey(topic)) {
                return;
            }
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new LabException("Reading '" + topic + "' to its end took longer than " + timeout.toSeconds() + " s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(each);
            }
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new LabException("Could not read '" + topic + "' at " + lab.kafkaBootstrap() + ": " + LabKafka.rootMessage(e), e);
        }
    }

    /**
     * Every record the topic holds now, partition by partition in offset order, read with no group: nothing is
     * committed and no group's offsets move. Keys and values as UTF-8 strings.
     */
    public static List<ConsumerRecord<String, String>> readAll(LabConfig lab, String topic, Duration timeout) {
        return readAll(lab, topic, new Properties(), timeout);
    }

    /** The same, read with {@code readerSettings} on top (e.g. {@code isolation.level=read_committed}). */
    public static List<ConsumerRecord<String, String>> readAll(LabConfig lab, String topic, Properties readerSettings, Duration timeout) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        readEach(lab, topic, readerSettings, timeout, r -> records.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(),
                r.timestamp(), r.timestampType(), r.serializedKeySize(), r.serializedValueSize(), utf8(r.key()), utf8(r.value()),
                r.headers(), r.leaderEpoch())));
        records.sort(Comparator.comparingInt((ConsumerRecord<String, String> r) -> r.partition())
                .thenComparingLong(ConsumerRecord::offset));
        return records;
    }

    private static String utf8(byte[] bytes) {
        return bytes == null ? null : new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }
}
