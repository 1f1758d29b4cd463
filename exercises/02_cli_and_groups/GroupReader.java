///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES ../../lab/LabConfig.java ../../lab/LabException.java ../../lab/kafka/LabKafka.java ../../lab/teaching/Todo.java
//COMPILE_OPTIONS -encoding UTF-8
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=error

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Lesson 02, reading as a consumer group: what {@code kafka-console-consumer --group} does, in Java, with the
 * commits in our hands. And reading with no group at all, which commits nothing.
 * Your exercise: the four TODOs below. Check them: {@code ./jbang course verify 02};
 * run it: {@code ./jbang exercises/02_cli_and_groups/GroupReader.java [topic] [group]}.
 */
public class GroupReader {
    /** How long to wait for the group to hand this consumer its partitions before giving up. */
    static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);

    /** The settings every reader here shares: how to turn the bytes of key and value into Strings. */
    static Properties readerConfig(LabConfig lab) {
        Properties props = lab.kafkaProperties();
        // Kafka stores bytes; these turn them back into the Strings the producer of lesson 01 wrote
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return props;
    }

    /** Step 1: the settings of a consumer that reads as a member of {@code groupId} and commits by hand. */
    static Properties groupConfig(LabConfig lab, String groupId) {
        Properties props = readerConfig(lab);
        // TODO 02.1: add three settings to props (ConsumerConfig has a constant for each), with a comment saying why:
        //  - the group id: groupId (its members share the partitions; the broker keeps the group's committed offsets)
        //  - no auto-commit: we commit ourselves, after processing (auto-commit commits on a timer whatever poll()
        //    returned, processed or not)
        //  - where a group that has never committed starts: at the earliest offset, not the default "latest"
        //    (what would a brand-new group miss with "latest"?)
        //  then return props.
        return Todo.todo("02", 1, "set the group id, turn auto-commit off and start new groups at the earliest offset in groupConfig()");
    }

    /**
     * Step 2: reads, as a member of {@code groupId}, everything the group has not read yet, and commits after each
     * batch it processed. Stops once no new record arrived for {@code idle} (counted from when the group assigned
     * this consumer its partitions). Returns the values read, in the order read.
     */
    public static List<String> readNew(LabConfig lab, String topic, String groupId, Duration idle) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(groupConfig(lab, groupId))) {
            // TODO 02.2: join the group for 'topic': subscribe to it. The group's coordinator then assigns this
            //  consumer the topic's partitions, and each starts at the group's committed offset (or, for a group
            //  that never committed, where auto.offset.reset says). Remove the Todo line when you are done.
            Todo.todo("02", 2, "subscribe to the topic in readNew()");
            long joinDeadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
            boolean assigned = false;
            long lastNewRecordAt = 0;
            while (true) {
                ConsumerRecords<String, String> batch = consumer.poll(Duration.ofMillis(100));
                long now = System.nanoTime();
                if (consumer.assignment().isEmpty()) {
                    if (now > joinDeadline) {
                        throw new LabException("Group '" + groupId + "' gave this consumer no partition of '" + topic + "' within "
                                + JOIN_TIMEOUT.toSeconds() + " s. Does the topic exist? (./jbang kafka-topics --bootstrap-server "
                                + lab.kafkaBootstrap() + " --describe --topic " + topic + ")");
                    }
                    continue;
                }
                if (!assigned) { // the idle clock starts when the group has given us partitions
                    assigned = true;
                    lastNewRecordAt = now;
                }
                if (!batch.isEmpty()) {
                    for (ConsumerRecord<String, String> record : batch) {
                        values.add(record.value()); // "processing": a real consumer writes the record somewhere here
                    }
                    // TODO 02.3: the batch is processed: commit its offsets at the broker now, synchronously (wait for
                    //  the broker's answer). Which offsets does commitSync() with no arguments commit, and why is that
                    //  exactly what we just processed? Remove the Todo line when you are done.
                    Todo.todo("02", 3, "commit each batch's offsets after processing it in readNew()");
                    lastNewRecordAt = now;
                } else if (now - lastNewRecordAt >= idle.toNanos()) {
                    return values;
                }
            }
        }
    }

    /**
     * Step 3: reads the whole topic, as it is now, with no group: every partition from its first offset to its
     * end. A consumer with no group id belongs to no group, so it has nowhere to commit to; no offset changes.
     */
    public static List<String> readAllWithoutGroup(LabConfig lab, String topic) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(readerConfig(lab))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            // TODO 02.4: there is no group here, so no coordinator hands out partitions: take them yourself (assign,
            //  not subscribe) and choose where to start: the beginning of each partition. Remove the Todo line then.
            Todo.todo("02", 4, "assign the partitions and seek to their beginning in readAllWithoutGroup()");
            // "everything" = up to the end of the log as it is now; later messages are not waited for
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new LabException("Reading '" + topic + "' to its end took longer than " + JOIN_TIMEOUT.toSeconds() + " s");
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }

    public static void main(String[] args) {
        String topic = args.length > 0 ? args[0] : "my_topic";
        String group = args.length > 1 ? args[1] : "mygroupjava";
        LabConfig lab = LabConfig.fromEnvironment();
        try {
            LabKafka.probe(lab, Duration.ofSeconds(5));
            List<String> read = readNew(lab, topic, group, Duration.ofSeconds(2));
            System.out.println("Group '" + group + "' read " + read.size() + " new message(s) from " + topic
                    + " and committed them. Run again: it reads only what was written since.");
            System.out.println("Its offsets: ./jbang kafka-consumer-groups --bootstrap-server " + lab.kafkaBootstrap()
                    + " --describe --group " + group);
        } catch (LabException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }
}
