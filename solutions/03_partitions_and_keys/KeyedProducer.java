///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES ../../lab/LabConfig.java ../../lab/LabException.java ../../lab/kafka/LabKafka.java ../../lab/kafka/LabTopics.java
//COMPILE_OPTIONS -encoding UTF-8
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=error

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Lesson 03, keys: every event of a user carries the user's id as its key, so all of them land in one partition
 * and stay in the order they were sent. Run it: {@code ./jbang solutions/03_partitions_and_keys/KeyedProducer.java [topic]}.
 */
public class KeyedProducer {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One thing a user of the music service did; {@code seq} counts that user's events 1, 2, 3, ... */
    public record UserEvent(String userId, int seq, String eventType) {
        /** The message value: {"user_id": ..., "seq": ..., "event_type": ...}. */
        public String toJson() {
            return JSON.createObjectNode().put("user_id", userId).put("seq", seq).put("event_type", eventType).toString();
        }
    }

    /** The producer's settings. */
    static Properties producerConfig(LabConfig lab) {
        Properties props = lab.kafkaProperties();
        // keys and values are Strings; the partitioner hashes the key's serialized bytes (UTF-8 for a String)
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        // a send counts only once every in-sync replica has it
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // idempotence (the default since Kafka 3.0, written out because order per key depends on it): a retried batch
        // cannot be written twice, nor overtake a later batch of the same partition
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "lesson03-keyed-producer");
        return props;
    }

    /** Sends every event with its user id as the key, in list order; returns where each one landed, in the same order. */
    public static List<RecordMetadata> send(LabConfig lab, String topic, List<UserEvent> events) {
        List<Future<RecordMetadata>> pending = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(lab))) {
            for (UserEvent event : events) {
                // the key decides the partition: every event of one user goes to the same partition, in send order
                ProducerRecord<String, String> record = new ProducerRecord<>(topic, event.userId(), event.toJson());
                pending.add(producer.send(record));
            }
            producer.flush();
            List<RecordMetadata> landed = new ArrayList<>();
            for (Future<RecordMetadata> f : pending) {
                landed.add(f.get());
            }
            return landed;
        } catch (ExecutionException e) {
            throw new LabException("Kafka did not take an event for " + topic + ": " + LabKafka.rootMessage(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while sending to " + topic, e);
        }
    }

    /**
     * The partition Kafka's default partitioner picks for a record with this key, in a topic with {@code partitions}
     * partitions: murmur2 of the key's bytes, made non-negative, modulo the partition count. (No partitioner setting
     * needed: with a key, the producer always does this. Without one it spreads records over the partitions.)
     */
    public static int partitionFor(String key, int partitions) {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        return Utils.toPositive(Utils.murmur2(keyBytes)) % partitions;
    }

    public static void main(String[] args) {
        String topic = args.length > 0 ? args[0] : "user_events";
        LabConfig lab = LabConfig.fromEnvironment();
        try {
            LabKafka.probe(lab, Duration.ofSeconds(5));
            LabKafka.ensureTopic(lab, topic, 3);
            int partitions = LabTopics.endOffsets(lab, topic).size();
            List<UserEvent> events = new ArrayList<>();
            List<String> users = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString(), UUID.randomUUID().toString());
            for (int seq = 1; seq <= 3; seq++) {
                for (String user : users) {
                    events.add(new UserEvent(user, seq, "track_playback"));
                }
            }
            List<RecordMetadata> landed = send(lab, topic, events);
            for (int i = 0; i < events.size(); i++) {
                System.out.printf("user %s #%d -> partition %d offset %d (murmur2 says %d)%n", events.get(i).userId(), events.get(i).seq(),
                        landed.get(i).partition(), landed.get(i).offset(), partitionFor(events.get(i).userId(), partitions));
            }
        } catch (LabException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }
}
