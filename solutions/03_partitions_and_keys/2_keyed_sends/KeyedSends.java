//SOURCES ../../../lab/kafka/LabKafka.java ../../../lab/events/UserEvent.java ../../../lab/teaching/Todo.java
//COMPILE_OPTIONS -encoding UTF-8
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Exercise 03.2: keyed sends keep per-key order. Kafka orders messages within a partition only; a key sends all of a
 * user's events to one partition, and an idempotent producer keeps them in send order there even when a batch has to
 * be retried. Check it: {@code ./jbang course verify 03.2}
 */
public class KeyedSends {

    /** A producer's settings for ordered, keyed sends. */
    public static Properties config(LabConfig lab) {
        Properties props = lab.kafkaProperties();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        // idempotence (the default since Kafka 3.0, written out because order per key depends on it): the broker drops a
        // retried batch it already has, and a retry cannot overtake a later batch of the same partition. It needs acks=all.
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return props;
    }

    /** Sends every event with its user id as the key, in list order; returns where each one landed, in the same order. */
    public static List<RecordMetadata> send(Producer<String, String> producer, String topic, List<UserEvent> events) throws Exception {
        List<Future<RecordMetadata>> pending = new ArrayList<>();
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
    }
}
