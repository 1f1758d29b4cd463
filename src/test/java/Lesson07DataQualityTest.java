import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lesson 07: the data-quality check. A clean lake passes every check; a deleted object is reported as a gap
 * (partition and offsets), a copied object as duplicates, a file of another schema as drift; exit code 1.
 * The lake is built here, sink-style, independently of lesson 06's code.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Lesson07DataQualityTest {
    private static final int EVENTS = 400;
    private static final int BATCH = 100;
    private static LabConfig lab;

    @BeforeAll
    static void lab() throws Exception {
        lab = TestLab.config().withBucket(TestLab.unique("lake07"));
        try (MinioClient s3 = LabS3.client(lab)) {
            s3.makeBucket(io.minio.MakeBucketArgs.builder().bucket(lab.bucket()).build());
        }
    }

    /** A topic, its lake (as the sink writes it), its dead letters and a group committed to the end. */
    record Fixture(String topic, String group, Map<String, List<EventParquet.Row>> objects) {}

    @Test
    void reconcileFindsGapsAndDuplicatesAndIgnoresDeadLetters() {
        List<LakeCheck.Located> lake = new ArrayList<>();
        for (long o = 0; o < 12; o++) {
            if (o != 3 && o != 7 && o != 8) {
                lake.add(new LakeCheck.Located(0, o, "a.parquet"));
            }
        }
        lake.add(new LakeCheck.Located(0, 5, "b.parquet"));
        lake.add(new LakeCheck.Located(1, 0, "c.parquet"));

        LakeCheck.Reconciliation r = LakeCheck.reconcile(Map.of(0, 10L, 1, 1L), Map.of(0, Set.of(3L)), lake);

        assertThat(r.duplicates()).as("offset 5 of partition 0 is in two objects")
                .containsExactly(new LakeCheck.Duplicate(0, 5, List.of("a.parquet", "b.parquet")));
        assertThat(r.gaps()).as("offsets 7 and 8 are missing; 3 is a dead letter, 10 and 11 are above the commit")
                .containsExactly(new LakeCheck.Gap(0, 7, 9));
        assertThat(r.rowsPerPartition()).as("rows per partition").isEqualTo(Map.of(0, 10L, 1, 1L));
        assertThat(r.aheadOfCommit()).as("rows at or above the committed offsets (10 and 11)").isEqualTo(2);
        assertThat(r.ok()).as("reconciled").isFalse();
    }

    @Test
    void aCleanLakePassesEveryCheck() throws Exception {
        Fixture f = fixture();
        LakeCheck.Report report = LakeCheck.check(lab, f.topic(), f.group());

        assertThat(report.checks()).as("checks of a clean lake").allSatisfy(c -> assertThat(c.ok()).as("%s: %s", c.name(), c.detail()).isTrue());
        assertThat(report.exitCode()).as("exit code").isZero();
        assertThat(report.totalRows()).as("total rows").isEqualTo(EVENTS);
        assertThat(report.rowsPerPath().values().stream().mapToLong(Long::longValue).sum()).as("rows over the partition paths").isEqualTo(EVENTS);
        assertThat(report.reconciliation().rowsPerPartition().values().stream().mapToLong(Long::longValue).sum())
                .as("rows over the Kafka partitions").isEqualTo(EVENTS);
        assertThat(report.schema()).as("the schema read from the footers").isEqualTo(EventParquet.expectedColumns());
        assertThat(report.firstPlaybacks()).as("first ten track_playback rows").hasSize(10)
                .allSatisfy(r -> assertThat(r.event().type()).isEqualTo(EventType.TRACK_PLAYBACK));
        assertThat(report.firstPlaybacks()).extracting(r -> r.event().tsMs()).as("in event-time order").isSorted();
    }

    @Test
    void aDeletedObjectIsAGapNamedByPartitionAndOffsets() throws Exception {
        Fixture f = fixture();
        String deleted = f.objects().keySet().stream().filter(k -> f.objects().get(k).size() >= 3).findFirst().orElseThrow();
        try (MinioClient s3 = LabS3.client(lab)) {
            s3.removeObject(RemoveObjectArgs.builder().bucket(lab.bucket()).object(deleted).build());
        }

        LakeCheck.Report report = LakeCheck.check(lab, f.topic(), f.group());

        assertThat(report.exitCode()).as("exit code when an object is missing").isEqualTo(1);
        Set<Long> missing = new TreeSet<>();
        report.reconciliation().gaps().forEach(g -> {
            for (long o = g.from(); o < g.to(); o++) {
                missing.add(o);
            }
        });
        int partition = f.objects().get(deleted).get(0).kafkaPartition();
        assertThat(report.reconciliation().gaps()).as("gaps").allSatisfy(g -> assertThat(g.partition()).isEqualTo(partition));
        assertThat(missing).as("the missing offsets are exactly the rows of the deleted object %s", deleted)
                .isEqualTo(new TreeSet<>(f.objects().get(deleted).stream().map(EventParquet.Row::kafkaOffset).toList()));
        assertThat(failed(report)).as("failed checks").containsExactly("every offset below the committed one is in the lake (or a dead letter)");
        assertThat(report.checks().stream().filter(c -> !c.ok()).findFirst().orElseThrow().detail())
                .as("the failure names the gap").contains("partition " + partition + " offsets ");
    }

    @Test
    void aCopiedObjectIsReportedAsDuplicates() throws Exception {
        Fixture f = fixture();
        String original = f.objects().keySet().iterator().next();
        String copy = original.substring(0, original.lastIndexOf('/') + 1) + "part-00000-written-twice.parquet";
        try (MinioClient s3 = LabS3.client(lab)) {
            put(s3, copy, Lake.get(s3, lab.bucket(), original));
        }

        LakeCheck.Report report = LakeCheck.check(lab, f.topic(), f.group());

        assertThat(report.exitCode()).as("exit code when rows are doubled").isEqualTo(1);
        assertThat(report.reconciliation().duplicates()).as("duplicated offsets").hasSize(f.objects().get(original).size())
                .allSatisfy(d -> assertThat(d.objects()).as("objects holding offset %d", d.offset()).containsExactlyInAnyOrder(original, copy));
        assertThat(failed(report)).as("failed checks").containsExactly("no offset twice in the lake");
        assertThat(report.totalRows()).as("total rows, counted from the footers").isEqualTo(EVENTS + f.objects().get(original).size());
    }

    @Test
    void aFileOfAnotherSchemaIsReportedAsDrift() throws Exception {
        Fixture f = fixture();
        // what the original sink wrote: columns taken from whatever was in the batch
        MessageType drifted = MessageTypeParser.parseMessageType(
                "message m { required binary event_type (STRING); required binary user_id (STRING); required int64 ts; }");
        Path file = Files.createTempFile("drift", ".parquet");
        Files.delete(file);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file)).withConf(new PlainParquetConfiguration())
                .withType(drifted).withCompressionCodec(CompressionCodecName.UNCOMPRESSED).build()) {
            w.write(new SimpleGroupFactory(drifted).newGroup().append("event_type", "track_like").append("user_id", "u").append("ts", 1L));
        }
        String key = f.topic() + "/event_date=2026-11-23/event_type=track_like/old-writer-batch.parquet";
        try (MinioClient s3 = LabS3.client(lab)) {
            put(s3, key, Files.readAllBytes(file));
        }

        LakeCheck.Report report = LakeCheck.check(lab, f.topic(), f.group());

        assertThat(report.driftedFiles()).as("files whose schema differs").containsOnlyKeys(key);
        assertThat(failed(report)).as("failed checks").containsExactly("every file has the expected schema");
        assertThat(report.exitCode()).as("exit code").isEqualTo(1);
    }

    // --- the fixture: a lake written sink-style, dead letters, committed offsets --------------------------

    private static Fixture fixture() throws Exception {
        String topic = TestLab.unique("music_events");
        String group = TestLab.unique("sink07");
        LabKafka.ensureTopic(lab, topic, 2);
        List<Map.Entry<String, byte[]>> values = new ArrayList<>();
        Clickstream stream = new Clickstream(7, 300, 200, java.time.Instant.parse("2026-11-23T23:59:50Z").toEpochMilli());
        for (int i = 0; i < EVENTS; i++) {
            MusicEvent e = stream.next();
            values.add(Map.entry(e.userId(), e.toBytes()));
            if (i == 50 || i == 250) {
                values.add(Map.entry("broken", "{\"event_params\": 1}".getBytes(StandardCharsets.UTF_8)));
            }
        }
        Lesson06S3SinkTest.send(lab, topic, values);

        // sink-style: per partition, batches of BATCH offsets, one object per (date, type) named by its first row
        Map<String, List<EventParquet.Row>> objects = new LinkedHashMap<>();
        List<ProducerRecord<byte[], byte[]>> letters = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> end = new TreeMap<>((a, b) -> Integer.compare(a.partition(), b.partition()));
        for (ConsumerRecord<String, String> r : LabTopics.readAll(lab, topic, Duration.ofSeconds(20))) {
            end.put(new TopicPartition(topic, r.partition()), new OffsetAndMetadata(r.offset() + 1));
            try {
                MusicEvent e = MusicEvent.parse(r.value().getBytes(StandardCharsets.UTF_8));
                long batchStart = r.offset() / BATCH * BATCH;
                String folder = topic + "/event_date=" + e.eventDate() + "/event_type=" + e.type().nameEn + "/";
                String existing = objects.keySet().stream()
                        .filter(k -> k.startsWith(folder + topic + "+" + r.partition() + "+"))
                        .filter(k -> Lake.parse(k, 0).firstOffset() / BATCH * BATCH == batchStart).findFirst().orElse(null);
                String key = existing != null ? existing : folder + topic + "+" + r.partition() + "+" + r.offset() + ".parquet";
                objects.computeIfAbsent(key, k -> new ArrayList<>()).add(new EventParquet.Row(e, r.partition(), r.offset()));
            } catch (MalformedEventException bad) {
                ProducerRecord<byte[], byte[]> letter = new ProducerRecord<>(topic + "_dlq", r.value().getBytes(StandardCharsets.UTF_8));
                letter.headers().add("dlq.error", bad.getMessage().getBytes(StandardCharsets.UTF_8));
                letter.headers().add("dlq.source.topic", topic.getBytes(StandardCharsets.UTF_8));
                letter.headers().add("dlq.source.partition", Integer.toString(r.partition()).getBytes(StandardCharsets.UTF_8));
                letter.headers().add("dlq.source.offset", Long.toString(r.offset()).getBytes(StandardCharsets.UTF_8));
                letters.add(letter);
            }
        }
        assertThat(letters).as("malformed messages in the fixture").hasSize(2);
        try (MinioClient s3 = LabS3.client(lab)) {
            for (Map.Entry<String, List<EventParquet.Row>> o : objects.entrySet()) {
                put(s3, o.getKey(), EventParquet.write(o.getValue()));
            }
        }
        Properties props = lab.kafkaProperties();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        LabKafka.ensureTopic(lab, topic + "_dlq", 1);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (ProducerRecord<byte[], byte[]> letter : letters) {
                producer.send(letter).get(20, TimeUnit.SECONDS);
            }
        }
        try (Admin admin = LabKafka.admin(lab)) {
            admin.alterConsumerGroupOffsets(group, end).all().get(10, TimeUnit.SECONDS);
        }
        return new Fixture(topic, group, objects);
    }

    private static void put(MinioClient s3, String key, byte[] bytes) throws Exception {
        s3.putObject(PutObjectArgs.builder().bucket(lab.bucket()).object(key)
                .stream(new ByteArrayInputStream(bytes), bytes.length, -1).build());
    }

    private static List<String> failed(LakeCheck.Report report) {
        return report.checks().stream().filter(c -> !c.ok()).map(LakeCheck.Check::name).toList();
    }
}
