import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.minio.MinioClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fault tests of lesson 07's data check (issue 12.5 and 12.2): a sink storing and committing while the check runs,
 * offsets gone by retention, a corrupt object, a lake larger than the check's memory, and the whole hostile corpus.
 * Each lake is written sink-style by TestLake, independently of lesson 06's code; the check is the engine with the
 * solutions of 07.1-07.3. Each test failed on the check as it was before (a single file that listed the lake first,
 * counted gaps from 0, kept every row in memory and aborted on a corrupt object).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class FaultLakeCheckTest {
    /** The heap of the check's process: the JVM, the Kafka and S3 clients, and one object of ~3,000 rows fit; the lake does not. */
    private static final int HEAP_MB = 48;
    private static LabConfig lab;

    @BeforeAll
    static void lab() throws Exception {
        lab = TestLake.bucket("faultcheck");
    }

    @Test
    void aSinkStoringAndCommittingDuringTheCheckLeavesNoFalseGap() throws Exception {
        String topic = TestLab.unique("running");
        String group = TestLab.unique("running");
        List<ConsumerRecord<byte[], byte[]>> records = events(topic, 1, 6_000, 61);
        int batch = 100;
        // the sink so far: the first 1,000 offsets stored and committed
        TestLake.store(lab, topic, records.subList(0, 1_000), batch);
        TestLake.commit(lab, group, topic, Map.of(0, 1_000L));
        AtomicBoolean checking = new AtomicBoolean(true);
        AtomicLong committed = new AtomicLong(1_000);
        Thread sink = new Thread(() -> { // and it goes on while the check runs: store a batch, then commit it
            try {
                for (int from = 1_000; from < records.size() && checking.get(); from += batch) {
                    TestLake.store(lab, topic, records.subList(from, from + batch), batch);
                    TestLake.commit(lab, group, topic, Map.of(0, (long) from + batch));
                    committed.set(from + batch);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        sink.start();
        List<String> gaps = new ArrayList<>();
        for (int run = 0; run < 5 && sink.isAlive(); run++) {
            LakeCheck.Report report = check(topic, group);
            report.reconciliation().gaps().forEach(g -> gaps.add(g.toString()));
        }
        checking.set(false);
        sink.join();
        assertThat(committed.get()).as("the sink went on during the checks").isGreaterThan(1_000);
        assertThat(gaps).as("gaps reported while the sink stored and committed (none is real)").isEmpty();
    }

    @Test
    void offsetsDeletedByRetentionBeforeTheSinkSawThemAreNoGap() throws Exception {
        String topic = TestLab.unique("retention");
        String group = TestLab.unique("retention");
        List<ConsumerRecord<byte[], byte[]>> records = events(topic, 1, 600, 62);
        try (Admin admin = LabKafka.admin(lab)) { // retention deleted the first 200 before the sink ever ran
            admin.deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(200))).all().get(10, TimeUnit.SECONDS);
        }
        TestLake.store(lab, topic, records.subList(200, 600), 100);
        TestLake.commit(lab, group, topic, Map.of(0, 600L));

        LakeCheck.Report report = check(topic, group);

        assertThat(report.reconciliation().gaps()).as("gaps below the log-start offset 200").isEmpty();
        assertThat(ExitCode.of(report)).as("exit code").isZero();
    }

    @Test
    void aCorruptObjectIsReportedAndTheRestOfTheLakeIsChecked() throws Exception {
        String topic = TestLab.unique("corrupt");
        String group = TestLab.unique("corrupt");
        List<ConsumerRecord<byte[], byte[]>> records = events(topic, 1, 400, 63);
        TestLake.store(lab, topic, records, 100);
        TestLake.commit(lab, group, topic, Map.of(0, 400L));
        String corrupt = topic + "/event_date=2026-11-24/event_type=track_playback/" + topic + "+0+999999.parquet";
        try (MinioClient s3 = LabS3.client(lab)) {
            TestLake.put(s3, lab, corrupt, "PAR1 this is not a Parquet file".getBytes(StandardCharsets.UTF_8));
        }

        LakeCheck.Report report = check(topic, group);

        assertThat(report.totalRows()).as("rows of the readable objects").isEqualTo(400);
        assertThat(ExitCode.of(report)).as("exit code").isEqualTo(1);
        assertThat(report.checks().stream().filter(c -> !c.ok()).map(c -> c.name() + ": " + c.detail()).toList())
                .as("failed checks").singleElement().asString().contains(corrupt);
    }

    @Test
    void theChecksMemoryIsBoundedByAFileNotByTheLake() throws Exception {
        String topic = TestLab.unique("bigcheck");
        String group = TestLab.unique("bigcheck");
        int files = 24; // batches of 10,000 offsets: 240,000 rows, ~190 objects. The check that kept every row needed ~85 MB
        int rowsPerBatch = 10_000;
        LabKafka.ensureTopic(lab, topic, 1);
        Properties props = lab.kafkaProperties();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) { // the offsets the lake's rows came from
            for (int i = 0; i < files * rowsPerBatch; i++) {
                producer.send(new ProducerRecord<>(topic, new byte[] {'x'}));
            }
        }
        Clickstream stream = new Clickstream(64, 1_000, 500, Instant.parse("2026-11-24T01:00:00Z").toEpochMilli());
        try (MinioClient s3 = LabS3.client(lab)) {
            for (int b = 0; b < files; b++) { // one batch of 10,000 offsets at a time: one object per event type
                Map<String, List<EventParquet.Row>> objects = new TreeMap<>();
                for (int i = 0; i < rowsPerBatch; i++) {
                    long offset = (long) b * rowsPerBatch + i;
                    MusicEvent e = stream.next();
                    String folder = topic + "/event_date=" + e.eventDate() + "/event_type=" + e.type().nameEn + "/";
                    objects.computeIfAbsent(folder, f -> new ArrayList<>()).add(new EventParquet.Row(e, 0, offset));
                }
                for (Map.Entry<String, List<EventParquet.Row>> o : objects.entrySet()) {
                    String key = o.getKey() + topic + "+0+" + o.getValue().get(0).kafkaOffset() + ".parquet";
                    TestLake.put(s3, lab, key, EventParquet.write(o.getValue()));
                }
            }
        }
        TestLake.commit(lab, group, topic, Map.of(0, (long) files * rowsPerBatch));

        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx" + HEAP_MB + "m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
                "-cp", System.getProperty("java.class.path"), "LakeCheckProcess", topic, group)
                .redirectErrorStream(true);
        pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", lab.kafkaBootstrap());
        pb.environment().put("S3_ENDPOINT", lab.s3Endpoint());
        pb.environment().put("S3_ACCESS_KEY", lab.s3AccessKey());
        pb.environment().put("S3_SECRET_KEY", lab.s3SecretKey());
        pb.environment().put("S3_BUCKET", lab.bucket());
        Process p = pb.start();
        List<String> output = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                output.add(line);
            }
        }
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("the check finished").isTrue();
        assertThat(output).as("what a check with %d MB of heap said about a lake of %,d rows", HEAP_MB, files * rowsPerBatch)
                .anyMatch(line -> line.startsWith("CHECKED rows=" + files * rowsPerBatch + " files=" + countObjects(topic) + " exit=0"));
    }

    @Test
    void theWholeHostileCorpusGoesThroughTheCheck() throws Exception {
        String topic = TestLab.unique("hostile07");
        String group = TestLab.unique("hostile07");
        List<HostileCorpus.Placed> placed = HostileCorpus.writeMixed(lab, topic, 900, 65);
        TestLake.Stored stored = TestLake.store(lab, topic, TestLake.readRaw(lab, topic), 200);
        TestLake.commit(lab, group, topic, LabTopics.endOffsets(lab, topic));

        LakeCheck.Report report = check(topic, group);

        long valid = placed.stream().filter(HostileCorpus.Placed::valid).count();
        assertThat(report.totalRows()).as("rows: the valid messages").isEqualTo(valid);
        assertThat(stored.deadLetters().values().stream().mapToInt(List::size).sum()).as("dead letters").isEqualTo(placed.size() - valid);
        assertThat(report.checks()).as("checks of a lake with the whole corpus behind it")
                .allSatisfy(c -> assertThat(c.ok()).as("%s: %s", c.name(), c.detail()).isTrue());
        assertThat(ExitCode.of(report)).as("exit code").isZero();

        // dead letters that name no source (a hand-made letter, a broken header) are reported, not a crash
        ProducerRecord<byte[], byte[]> noHeaders = new ProducerRecord<>(topic + "_dlq", "no headers".getBytes(StandardCharsets.UTF_8));
        ProducerRecord<byte[], byte[]> badHeader = TestLake.deadLetter(topic, 0, 0, new byte[0], "x");
        badHeader.headers().remove("dlq.source.offset");
        badHeader.headers().add("dlq.source.offset", "forty-two".getBytes(StandardCharsets.UTF_8));
        TestLake.sendDeadLetters(lab, topic, List.of(noHeaders, badHeader));
        LakeCheck.Report again = check(topic, group);
        assertThat(again.reconciliation().gaps()).as("gaps after two strange letters").isEmpty();
        assertThat(again.checks().stream().filter(c -> !c.ok()).map(c -> c.name() + ": " + c.detail()).toList())
                .as("failed checks").singleElement().asString().startsWith("every dead letter names its source").contains("forty-two");
        assertThat(ExitCode.of(again)).as("exit code").isEqualTo(1);
    }

    private static LakeCheck.Report check(String topic, String group) {
        return LakeCheck.check(lab, topic, group, new Reconcile(), new SchemaDrift());
    }

    /** {@code count} generated events (keyed by user) written to a new topic, read back as raw records. */
    private static List<ConsumerRecord<byte[], byte[]>> events(String topic, int partitions, int count, long seed) throws Exception {
        LabKafka.ensureTopic(lab, topic, partitions);
        Clickstream stream = new Clickstream(seed, 300, 200, Instant.parse("2026-11-24T10:00:00Z").toEpochMilli());
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            values.add(stream.next().toBytes());
        }
        TestTopics.produceRaw(lab, topic, values);
        return TestLake.readRaw(lab, topic);
    }

    private static long countObjects(String topic) {
        try (MinioClient s3 = LabS3.client(lab)) {
            return Lake.listParquet(s3, lab.bucket(), topic + "/").size();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
