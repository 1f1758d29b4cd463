import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A lake written the way lesson 06's sink writes it, independently of the sink's code, for the data check's tests:
 * per partition, batches of offsets; per batch one object per (event date, event type) named
 * {@code <topic>+<partition>+<first offset>}; a message the model rejects goes to {@code <topic>_dlq} with headers
 * naming its source; then the group's offsets are committed.
 */
final class TestLake {
    private TestLake() {}

    /** A bucket of its own for a test class. */
    static LabConfig bucket(String prefix) throws Exception {
        LabConfig lab = TestLab.config().withBucket(TestLab.unique(prefix));
        try (MinioClient s3 = LabS3.client(lab)) {
            s3.makeBucket(MakeBucketArgs.builder().bucket(lab.bucket()).build());
        }
        return lab;
    }

    /** Every record of the topic with its raw key and value (null for a tombstone), read with no group, in partition-offset order. */
    static List<ConsumerRecord<byte[], byte[]>> readRaw(LabConfig lab, String topic) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        LabTopics.readEach(lab, topic, Duration.ofSeconds(60), records::add);
        records.sort(java.util.Comparator.comparingInt((ConsumerRecord<byte[], byte[]> r) -> r.partition()).thenComparingLong(ConsumerRecord::offset));
        return records;
    }

    /** What {@link #store} wrote: objects by key, and the dead letters' source offsets per partition. */
    record Stored(Map<String, List<EventParquet.Row>> objects, Map<Integer, List<Long>> deadLetters) {}

    /**
     * Stores the records sink-style (batches of {@code batch} offsets per partition) and sends the dead letters;
     * commits nothing.
     */
    static Stored store(LabConfig lab, String topic, List<ConsumerRecord<byte[], byte[]>> records, int batch) throws Exception {
        Map<String, List<EventParquet.Row>> objects = new LinkedHashMap<>();
        Map<String, String> firstOfBatch = new java.util.HashMap<>(); // (folder, partition, batch) -> the key named by its first row
        Map<Integer, List<Long>> dead = new TreeMap<>();
        List<ProducerRecord<byte[], byte[]>> letters = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            try {
                MusicEvent e = MusicEvent.parse(r.value());
                long batchStart = r.offset() / batch * batch;
                String folder = topic + "/event_date=" + e.eventDate() + "/event_type=" + e.type().nameEn + "/";
                String key = firstOfBatch.computeIfAbsent(folder + r.partition() + "/" + batchStart,
                        b -> folder + topic + "+" + r.partition() + "+" + r.offset() + ".parquet");
                objects.computeIfAbsent(key, k -> new ArrayList<>()).add(new EventParquet.Row(e, r.partition(), r.offset()));
            } catch (MalformedEventException bad) {
                letters.add(deadLetter(topic, r.partition(), r.offset(), r.value(), bad.getMessage()));
                dead.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(r.offset());
            }
        }
        try (MinioClient s3 = LabS3.client(lab)) {
            for (Map.Entry<String, List<EventParquet.Row>> o : objects.entrySet()) {
                put(s3, lab, o.getKey(), EventParquet.write(o.getValue()));
            }
        }
        sendDeadLetters(lab, topic, letters);
        return new Stored(objects, dead);
    }

    /** What a dead letter carries of a message at most; a longer one is cut, and a header says so (it must fit the topic). */
    static final int LETTER_VALUE_LIMIT = 512 * 1024;

    /** A dead letter as the sink sends it: the original bytes (the first 512 KiB), and headers saying why and from where. */
    static ProducerRecord<byte[], byte[]> deadLetter(String topic, int partition, long offset, byte[] value, String why) {
        byte[] carried = value == null || value.length <= LETTER_VALUE_LIMIT ? value : java.util.Arrays.copyOf(value, LETTER_VALUE_LIMIT);
        ProducerRecord<byte[], byte[]> letter = new ProducerRecord<>(topic + "_dlq", carried);
        if (carried != value) {
            letter.headers().add("dlq.value.cut", ("first " + LETTER_VALUE_LIMIT + " of " + value.length + " bytes").getBytes(StandardCharsets.UTF_8));
        }
        letter.headers().add("dlq.error", why.getBytes(StandardCharsets.UTF_8));
        letter.headers().add("dlq.source.topic", topic.getBytes(StandardCharsets.UTF_8));
        letter.headers().add("dlq.source.partition", Integer.toString(partition).getBytes(StandardCharsets.UTF_8));
        letter.headers().add("dlq.source.offset", Long.toString(offset).getBytes(StandardCharsets.UTF_8));
        return letter;
    }

    static void sendDeadLetters(LabConfig lab, String topic, List<ProducerRecord<byte[], byte[]>> letters) throws Exception {
        LabKafka.ensureTopic(lab, topic + "_dlq", 1);
        Properties props = lab.kafkaProperties();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(4 * 1024 * 1024));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (ProducerRecord<byte[], byte[]> letter : letters) {
                producer.send(letter).get(20, TimeUnit.SECONDS);
            }
        }
    }

    /** Commits these offsets (partition to next offset) for the group, as the sink does after storing. */
    static void commit(LabConfig lab, String group, String topic, Map<Integer, Long> offsets) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> commit = new TreeMap<>((a, b) -> Integer.compare(a.partition(), b.partition()));
        offsets.forEach((p, o) -> commit.put(new TopicPartition(topic, p), new OffsetAndMetadata(o)));
        try (Admin admin = LabKafka.admin(lab)) {
            admin.alterConsumerGroupOffsets(group, commit).all().get(10, TimeUnit.SECONDS);
        }
    }

    static void put(MinioClient s3, LabConfig lab, String key, byte[] bytes) throws Exception {
        s3.putObject(PutObjectArgs.builder().bucket(lab.bucket()).object(key)
                .stream(new ByteArrayInputStream(bytes), bytes.length, -1).build());
    }
}
