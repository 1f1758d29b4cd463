import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import io.minio.MinioClient;
import io.minio.RemoveObjectArgs;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
 * Lesson 07 as the lesson runs it: the data check of lab/lake with the solutions of 07.1-07.3. A clean lake passes every
 * check; a deleted object is reported as a gap (partition and offsets), a copied object as duplicates in both objects,
 * a file of another schema as drift; exit code 1. The lake is built sink-style by TestLake, independently of lesson 06.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class Lesson07DataQualityTest {
    private static final int EVENTS = 400;
    private static LabConfig lab;

    @BeforeAll
    static void lab() throws Exception {
        lab = TestLake.bucket("lake07");
    }

    /** A topic, its lake (as the sink writes it), its dead letters and a group committed to the end. */
    record Fixture(String topic, String group, Map<String, List<EventParquet.Row>> objects) {}

    @Test
    void aCleanLakePassesEveryCheck() throws Exception {
        Fixture f = fixture();
        LakeCheck.Report report = check(f);

        assertThat(report.checks()).as("checks of a clean lake").allSatisfy(c -> assertThat(c.ok()).as("%s: %s", c.name(), c.detail()).isTrue());
        assertThat(report.couldNotCheck()).as("could not check").isEmpty();
        assertThat(ExitCode.of(report)).as("exit code").isZero();
        assertThat(report.totalRows()).as("total rows").isEqualTo(EVENTS);
        assertThat(report.rowsPerPath().values().stream().mapToLong(Long::longValue).sum()).as("rows over the partition paths").isEqualTo(EVENTS);
        assertThat(report.rowsPerPartition().values().stream().mapToLong(Long::longValue).sum()).as("rows over the Kafka partitions").isEqualTo(EVENTS);
        assertThat(report.deadLetters()).as("dead letters").isEqualTo(2);
        assertThat(report.schema()).as("the schema read from the footers").isEqualTo(EventParquet.expectedColumns());
        assertThat(report.firstPlaybacks()).as("first ten track_playback rows").hasSize(10)
                .allSatisfy(r -> assertThat(r.event().type()).isEqualTo(EventType.TRACK_PLAYBACK));
        assertThat(report.firstPlaybacks()).extracting(r -> r.event().tsMs()).as("in event-time order").isSorted();
        long earliestPlayback = f.objects().values().stream().flatMap(List::stream).filter(r -> r.event().type() == EventType.TRACK_PLAYBACK)
                .mapToLong(r -> r.event().tsMs()).min().orElseThrow();
        assertThat(report.firstPlaybacks().get(0).event().tsMs()).as("the earliest playback of the lake comes first").isEqualTo(earliestPlayback);
        assertThat(LakeCheck.describe(report)).as("the report as text").contains("checks:").anyMatch(l -> l.startsWith("  OK   the lake has rows"));
    }

    @Test
    void aDeletedObjectIsAGapNamedByPartitionAndOffsets() throws Exception {
        Fixture f = fixture();
        String deleted = f.objects().keySet().stream().filter(k -> f.objects().get(k).size() >= 3).findFirst().orElseThrow();
        try (MinioClient s3 = LabS3.client(lab)) {
            s3.removeObject(RemoveObjectArgs.builder().bucket(lab.bucket()).object(deleted).build());
        }

        LakeCheck.Report report = check(f);

        assertThat(ExitCode.of(report)).as("exit code when an object is missing").isEqualTo(1);
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
            TestLake.put(s3, lab, copy, Lake.get(s3, lab.bucket(), original));
        }

        LakeCheck.Report report = check(f);

        assertThat(ExitCode.of(report)).as("exit code when rows are doubled").isEqualTo(1);
        long doubled = report.reconciliation().duplicates().stream().mapToLong(d -> d.to() - d.from()).sum();
        Set<Long> inDuplicates = new TreeSet<>();
        report.reconciliation().duplicates().forEach(d -> {
            for (long o = d.from(); o < d.to(); o++) {
                inDuplicates.add(o);
            }
        });
        assertThat(inDuplicates).as("duplicated offsets: the rows of the copied object").isEqualTo(
                new TreeSet<>(f.objects().get(original).stream().map(EventParquet.Row::kafkaOffset).toList()));
        assertThat(doubled).as("offsets twice").isEqualTo(f.objects().get(original).size());
        assertThat(report.duplicateObjects().values()).as("objects holding each duplicated run")
                .allSatisfy(objects -> assertThat(objects).containsExactlyInAnyOrder(original, copy));
        assertThat(failed(report)).as("failed checks").containsExactly("no offset twice in the lake");
        assertThat(report.totalRows()).as("total rows").isEqualTo(EVENTS + f.objects().get(original).size());
    }

    @Test
    void aFileOfAnotherSchemaIsReportedAsDrift() throws Exception {
        Fixture f = fixture();
        String key = f.topic() + "/event_date=2026-11-23/event_type=track_like/old-writer-batch.parquet";
        try (MinioClient s3 = LabS3.client(lab)) {
            TestLake.put(s3, lab, key, originalSinksFile());
        }

        LakeCheck.Report report = check(f);

        assertThat(report.driftedFiles()).as("files whose schema differs").containsOnlyKeys(key);
        assertThat(report.driftedFiles().get(key)).as("how it differs").contains("missing column kafka_offset (required int64)");
        assertThat(failed(report)).as("failed checks").containsExactly("every file has the expected schema");
        assertThat(ExitCode.of(report)).as("exit code").isEqualTo(1);
    }

    @Test
    void aGroupThatNeverCommittedCannotBeChecked() throws Exception {
        Fixture f = fixture();
        LakeCheck.Report report = LakeCheck.check(lab, f.topic(), TestLab.unique("never-ran"), new Reconcile(), new SchemaDrift());
        assertThat(report.couldNotCheck()).as("could not check").singleElement().asString().contains("committed no offset");
        assertThat(ExitCode.of(report)).as("exit code").isEqualTo(2);
    }

    /** What the original sink wrote: columns taken from whatever was in the batch. */
    static byte[] originalSinksFile() throws Exception {
        MessageType drifted = MessageTypeParser.parseMessageType(
                "message m { required binary event_type (STRING); required binary user_id (STRING); required int64 ts; }");
        Path file = Files.createTempFile("drift", ".parquet");
        Files.delete(file);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file)).withConf(new PlainParquetConfiguration())
                .withType(drifted).withCompressionCodec(CompressionCodecName.UNCOMPRESSED).build()) {
            w.write(new SimpleGroupFactory(drifted).newGroup().append("event_type", "track_like").append("user_id", "u").append("ts", 1L));
        }
        byte[] bytes = Files.readAllBytes(file);
        Files.delete(file);
        return bytes;
    }

    private static LakeCheck.Report check(Fixture f) {
        return LakeCheck.check(lab, f.topic(), f.group(), new Reconcile(), new SchemaDrift());
    }

    /** 400 events across a UTC midnight on 2 partitions, with 2 broken messages among them; stored, dead-lettered, committed. */
    private static Fixture fixture() throws Exception {
        String topic = TestLab.unique("music_events");
        String group = TestLab.unique("sink07");
        LabKafka.ensureTopic(lab, topic, 2);
        List<java.util.Map.Entry<String, byte[]>> values = new ArrayList<>();
        Clickstream stream = new Clickstream(7, 300, 200, Instant.parse("2026-11-23T23:59:50Z").toEpochMilli());
        for (int i = 0; i < EVENTS; i++) {
            MusicEvent e = stream.next();
            values.add(java.util.Map.entry(e.userId(), e.toBytes()));
            if (i == 50 || i == 250) {
                values.add(java.util.Map.entry("broken", "{\"event_params\": 1}".getBytes(StandardCharsets.UTF_8)));
            }
        }
        Lesson06S3SinkTest.send(lab, topic, values);
        List<ConsumerRecord<byte[], byte[]>> records = TestLake.readRaw(lab, topic);
        TestLake.Stored stored = TestLake.store(lab, topic, records, 100);
        assertThat(stored.deadLetters().values().stream().mapToInt(List::size).sum()).as("malformed messages in the fixture").isEqualTo(2);
        TestLake.commit(lab, group, topic, LabTopics.endOffsets(lab, topic));
        return new Fixture(topic, group, stored.objects());
    }

    private static List<String> failed(LakeCheck.Report report) {
        return report.checks().stream().filter(c -> !c.ok()).map(LakeCheck.Check::name).toList();
    }
}
