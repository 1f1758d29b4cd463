import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Exercise 06.5 (DeadLetter): a message that does not parse goes to {@code <topic>_dlq} with its own key, bytes and
 * headers, plus headers saying why and where from; the sink goes on past it.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DeadLetterTest {
    @Test
    void malformedMessagesGoToTheDeadLetterTopicWithTheirBytesHeadersAndWhy() throws Exception {
        LabConfig lab = TestLab.config().withBucket(TestLab.unique("letters"));
        String topic = TestLab.unique("music_events");
        String group = TestLab.unique("sink065");
        LabKafka.ensureTopic(lab, topic, 1);
        Map<Integer, byte[]> bad = Map.of(
                7, "not json at all".getBytes(StandardCharsets.UTF_8),
                60, "{\"event_params\":{\"event_type_id\":42},\"event_timestamp_ms\":{\"ts_ms\":1}}".getBytes(StandardCharsets.UTF_8),
                150, new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF}); // not even UTF-8: the bytes must survive as bytes
        Clickstream stream = new Clickstream(4);
        int valid = 0;
        Properties props = lab.kafkaProperties();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            List<Future<?>> acks = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                byte[] value = bad.containsKey(i) ? bad.get(i) : stream.next().toBytes();
                valid += bad.containsKey(i) ? 0 : 1;
                ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, ("key-" + i).getBytes(StandardCharsets.UTF_8), value);
                r.headers().add("trace-id", ("trace-" + i).getBytes(StandardCharsets.UTF_8));
                acks.add(producer.send(r));
            }
            for (Future<?> ack : acks) {
                ack.get(30, TimeUnit.SECONDS);
            }
        }

        ParquetSinkEngine.Stats stats = ParquetSink.create(lab, ParquetSinkEngine.Options.defaults(topic, group).batchSize(100)
                .stopWhenIdle(Duration.ofSeconds(2)).retryFor(Duration.ofSeconds(20)).log(line -> System.out.println("  [sink] " + line))).run();

        assertThat(Lesson06S3SinkTest.lake(lab, topic).values().stream().mapToInt(List::size).sum()).as("valid events in the lake").isEqualTo(valid);
        assertThat(stats.deadLetters.get()).as("dead letters counted").isEqualTo(bad.size());
        List<ConsumerRecord<byte[], byte[]>> letters = Lesson06S3SinkTest.readAllBytes(lab, topic + "_dlq");
        assertThat(letters).as("records in %s_dlq", topic).hasSize(bad.size());
        for (ConsumerRecord<byte[], byte[]> letter : letters) {
            String offsetHeader = header(letter, "dlq.source.offset");
            assertThat(offsetHeader).as("header dlq.source.offset").isNotNull();
            int offset = Integer.parseInt(offsetHeader);
            assertThat(bad).as("dead letter source offset").containsKey(offset);
            assertThat(letter.value()).as("the original bytes of offset %d", offset).isEqualTo(bad.get(offset));
            assertThat(letter.key()).as("the original key of offset %d", offset).isEqualTo(("key-" + offset).getBytes(StandardCharsets.UTF_8));
            assertThat(header(letter, "trace-id")).as("the original header trace-id of offset %d", offset).isEqualTo("trace-" + offset);
            assertThat(header(letter, "dlq.source.partition")).as("header dlq.source.partition").isEqualTo("0");
            assertThat(header(letter, "dlq.source.topic")).as("header dlq.source.topic").isEqualTo(topic);
            assertThat(header(letter, "dlq.error")).as("header dlq.error of offset %d: why", offset).isNotBlank();
        }
        assertThat(Lesson06S3SinkTest.committed(lab, group, topic)).as("the sink went past every bad message")
                .isEqualTo(Lesson06S3SinkTest.endOffsets(lab, topic));
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
