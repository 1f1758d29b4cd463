import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Test-only Kafka helpers (reading a topic back is lab/LabTopics.readAll). */
final class TestTopics {
    private TestTopics() {}

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
}
