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
        // TODO 03.2.1: a retried batch must neither be written twice nor overtake a later batch of its partition: turn
        //  idempotence on (ProducerConfig has the setting; it needs acks=all too). Then return props.
        return Todo.todo("03.2", 1, "make the producer idempotent, with acks=all");
    }

    /** Sends every event with its user id as the key, in list order; returns where each one landed, in the same order. */
    public static List<RecordMetadata> send(Producer<String, String> producer, String topic, List<UserEvent> events) throws Exception {
        List<Future<RecordMetadata>> pending = new ArrayList<>();
        for (UserEvent event : events) {
            // TODO 03.2.2: the record for this event: to 'topic', with the user's id as its KEY and event.toJson() as its
            //  value. (Lesson 01 sent records with no key: they were spread over the partitions.)
            ProducerRecord<String, String> record = Todo.todo("03.2", 2, "make each event's record with the user id as its key");
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
