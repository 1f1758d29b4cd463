import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Test-only Kafka helpers (reading a topic back is lab/LabTopics.readAll). None of them uses an exercise's code. */
final class TestTopics {
    private TestTopics() {}

    /** A value a test wrote, and where the broker put it. */
    record Written(String value, int partition, long offset, long timestamp) {
        /** {@code partition@offset}: one record's place in the topic. */
        String position() {
            return partition + "@" + offset;
        }
    }

    /** Writes raw values (null key) to the topic and waits until all are acknowledged. */
    static void produceRaw(LabConfig lab, String topic, List<byte[]> values) {
        Properties props = lab.kafkaProperties();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(4 * 1024 * 1024));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (byte[] v : values) {
                producer.send(new ProducerRecord<>(topic, v));
            }
            producer.flush();
        }
    }

    /** {@link #produce(LabConfig, String, String, int, IntFunction)} with the broker's own timestamps. */
    static List<Written> produce(LabConfig lab, String topic, String prefix, int count) {
        return produce(lab, topic, prefix, count, i -> null);
    }

    /**
     * Writes {@code count} distinct String values {@code prefix-i-<random>}, keyed {@code key-i} so they spread over the
     * partitions, the i-th with the timestamp {@code timestampOf(i)} (null: the producer's clock); waits until every one
     * is acknowledged and returns them in send order, with where the broker put each.
     */
    static List<Written> produce(LabConfig lab, String topic, String prefix, int count, IntFunction<Long> timestampOf) {
        Properties props = lab.kafkaProperties();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        // the tests count on every message being in the log before they read
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        List<String> values = new ArrayList<>();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < count; i++) {
                String value = prefix + "-" + i + "-" + TestLab.unique("v");
                values.add(value);
                sent.add(producer.send(new ProducerRecord<>(topic, null, timestampOf.apply(i), "key-" + i, value)));
            }
            producer.flush();
            List<Written> written = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                RecordMetadata m = sent.get(i).get();
                written.add(new Written(values.get(i), m.partition(), m.offset(), m.timestamp()));
            }
            return written;
        } catch (Exception e) {
            throw new IllegalStateException("the test could not write to " + topic + ": " + e, e);
        }
    }

    /** The values of {@code written}. */
    static List<String> values(List<Written> written) {
        return written.stream().map(Written::value).toList();
    }

    /**
     * The test's own group consumer: reads {@code topic} as a member of {@code group}, committing after each batch,
     * until nothing new came for {@code idle}; returns the values read. A brand-new group starts at the earliest offset.
     */
    static List<String> readAsGroup(LabConfig lab, String topic, String group, Duration idle) throws Exception {
        List<String> values = new ArrayList<>();
        ConsumerLoop.run(groupConfig(lab, group), topic, idle, (consumer, batch, processor) -> {
            batch.forEach(r -> values.add(r.value()));
            consumer.commitSync();
        }, r -> { });
        return values;
    }

    /** The tests' own settings of a group consumer (not exercise 02.1's): a member of {@code group}, no auto-commit, earliest. */
    static Properties groupConfig(LabConfig lab, String group) {
        Properties props = noGroupConfig(lab);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return props;
    }

    /** A consumer of no group, with Kafka's defaults otherwise (auto.offset.reset=latest): it takes partitions by assign(). */
    static Properties noGroupConfig(LabConfig lab) {
        Properties props = lab.kafkaProperties();
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return props;
    }
}
