import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lesson 12: Flink's lake and the hand-written sink's lake, built from the same fixed-seed topic (valid events with
 * some broken messages among them), are the same lake: every valid offset exactly once in each, the same
 * rows under the same paths; lesson 07's check passes over Flink's lake unchanged; and lesson 09's SQL (the lake view,
 * top tracks, events per hour) gives the same answers over both (when ClickHouse is there).
 */
class Lesson12FlinkLakeTest {
    private static final int VALID_EVENTS = 4_000;

    private static LabConfig lab;
    private static String topic;
    private static String flinkBucket;
    private static String flinkGroup;
    private static String sinkBucket;
    private static List<HostileCorpus.Placed> placed;
    private static Map<String, List<EventParquet.Row>> flinkLake;
    private static Map<String, List<EventParquet.Row>> sinkLake;

    @BeforeAll
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    static void bothRoads() throws Exception {
        Assumptions.assumeFalse("exercises".equals(System.getProperty("course.code")),
                "lesson 12's test runs the solutions' checkpoint settings; exercise 12.1 has CheckpointSettingsTest");
        lab = TestLab.config();
        topic = TestLab.unique("music_events_12");
        placed = writeWithSomeBroken(lab, topic, VALID_EVENTS, 1212);

        flinkBucket = TestLab.unique("flink-lake");
        flinkGroup = TestLab.unique("flink12-lake");
        Map<String, String> settings = CheckpointSettings.exactlyOnce(Duration.ofSeconds(1), "s3://" + flinkBucket + "/_checkpoints");
        long start = System.nanoTime();
        FlinkJobProcess.runToEnd(lab, FlinkJobProcess.args(topic, flinkGroup, flinkBucket, 3, settings), Duration.ofSeconds(400));
        System.out.printf("[lesson 12] Flink's job (its own JVM) caught up and stopped in %,d ms%n", (System.nanoTime() - start) / 1_000_000);
        flinkLake = FlinkJobProcess.lake(lab, flinkBucket, topic);

        LabConfig sinkLab = lab.withBucket(TestLab.unique("sink-lake"));
        ParquetSink.create(sinkLab, ParquetSinkEngine.Options.defaults(topic, TestLab.unique("sink12"))
                .batchSize(1_000).flushInterval(Duration.ofSeconds(10)).stopWhenIdle(Duration.ofSeconds(2))
                .retryFor(Duration.ofSeconds(20)).progressEvery(Duration.ofMinutes(1)).log(line -> { })).run();
        sinkBucket = sinkLab.bucket();
        sinkLake = FlinkJobProcess.lake(sinkLab, sinkBucket, topic);
    }

    @Test
    void everyValidOffsetIsInFlinksLakeExactlyOnce() {
        Map<String, Integer> times = FlinkJobProcess.timesInLake(flinkLake);
        assertThat(times.entrySet()).as("offsets more than once in Flink's lake").filteredOn(e -> e.getValue() > 1).isEmpty();
        assertThat(times.keySet()).as("Flink's lake holds exactly the topic's valid offsets")
                .containsExactlyInAnyOrderElementsOf(FlinkJobProcess.positions(placed, true));
        Map<String, MusicEvent> expected = new HashMap<>();
        placed.stream().filter(HostileCorpus.Placed::valid).forEach(p -> expected.put(p.partition() + "@" + p.offset(), p.expected()));
        flinkLake.values().forEach(rows -> rows.forEach(r -> assertThat(r.event())
                .as("the row of %d@%d, as the model reads the message", r.kafkaPartition(), r.kafkaOffset())
                .isEqualTo(expected.get(r.kafkaPartition() + "@" + r.kafkaOffset()))));
    }

    @Test
    void flinksLakeHasTheHandWrittenSinksLayoutAndRows() {
        assertThat(flinkLake.keySet()).as("object keys: <topic>/event_date=YYYY-MM-DD/event_type=<name>/part-<writer uuid>-<n>.parquet")
                .allMatch(k -> k.matches(java.util.regex.Pattern.quote(topic)
                        + "/event_date=\\d{4}-\\d{2}-\\d{2}/event_type=[a-z_]+/part-[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}-\\d+\\.parquet"));
        assertThat(rowsByPath(flinkLake)).as("per event_date/event_type path: the same rows (partition@offset) in both lakes")
                .isEqualTo(rowsByPath(sinkLake));
    }

    @Test
    void lesson07sCheckPassesOverFlinksLakeUnchanged() {
        LakeCheck.Report report = LakeCheck.check(lab.withBucket(flinkBucket), topic, flinkGroup, new Reconcile(), new SchemaDrift());
        assertThat(report.checks()).as("lesson 07's checks over s3://%s/%s with group %s:%n%s", flinkBucket, topic, flinkGroup,
                String.join("\n", LakeCheck.describe(report))).allMatch(LakeCheck.Check::ok);
        assertThat(report.totalRows()).as("rows lesson 07 counted").isEqualTo(FlinkJobProcess.positions(placed, true).size());
    }

    @Test
    void lesson09sQueriesGiveTheSameAnswersOverBothLakes() {
        ClickHouse ch = TestClickHouse.get().clickhouse(); // skips, naming what is missing, without ClickHouse
        Map<String, List<Map<String, String>>> flink = lesson09(ch, flinkBucket);
        Map<String, List<Map<String, String>>> sink = lesson09(ch, sinkBucket);
        assertThat(flink.get("count").get(0).get("c")).as("s3() count over Flink's lake = the topic's valid events")
                .isEqualTo(Integer.toString(FlinkJobProcess.positions(placed, true).size()));
        assertThat(flink).as("lesson 09's answers (top tracks and events per hour, exercise 09.2 solved) over both lakes").isEqualTo(sink);
    }

    private static Map<String, List<Map<String, String>>> lesson09(ClickHouse ch, String bucket) {
        Map<String, String> params = Map.of("s3_url", ClickHouse.s3EndpointFor(ch, lab), "s3_bucket", bucket,
                "s3_access_key", lab.s3AccessKey(), "s3_secret_key", lab.s3SecretKey(), "music_events", topic);
        ch.runFile(Path.of("sql/09_1_lake.sql"), params);
        Map<String, List<Map<String, String>>> answers = new TreeMap<>();
        answers.put("count", ch.query("SELECT count() AS c FROM music_events_lake").stream().map(ClickHouse::text).toList());
        answers.put("top tracks", ch.queryFile(TestCourse.solution("09.2", "top_tracks.sql"), params).stream().map(ClickHouse::text).toList());
        answers.put("events per hour", ch.queryFile(TestCourse.solution("09.2", "events_per_hour.sql"), params).stream().map(ClickHouse::text).toList());
        return answers;
    }

    /**
     * Generated events (keyed by user, on a simulated clock across midnight UTC) with a broken message every 400th,
     * on a new 3-partition topic. Not the whole hostile corpus: its 1,000,000-byte message makes a dead letter
     * larger than a default producer sends, which stops lesson 06's sink (CheckpointSettingsTest runs Flink on it).
     */
    static List<HostileCorpus.Placed> writeWithSomeBroken(LabConfig lab, String topic, int valid, long seed) throws Exception {
        LabKafka.ensureTopic(lab, topic, 3);
        List<HostileCorpus.Case> broken = List.of(
                new HostileCorpus.Case("not json", "not json".getBytes(java.nio.charset.StandardCharsets.UTF_8), false, "not JSON", null),
                new HostileCorpus.Case("truncated", "{\"event_params\": {\"event_type_id\": 1".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        false, "truncated JSON", null),
                new HostileCorpus.Case("empty", new byte[0], false, "an empty value", null));
        Clickstream events = new Clickstream(seed, 500, 200, java.time.Instant.parse("2026-11-24T22:30:00Z").toEpochMilli());
        java.util.Properties props = lab.kafkaProperties();
        props.put("key.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
        props.put("value.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
        List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent = new java.util.ArrayList<>();
        List<Object[]> what = new java.util.ArrayList<>();
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(props)) {
            for (int i = 0, b = 0; i < valid; i++) {
                if (i % 400 == 200) {
                    HostileCorpus.Case c = broken.get(b++ % broken.size());
                    byte[] key = ("broken-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    sent.add(producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, key, c.value())));
                    what.add(new Object[] {key, c.value(), c, null});
                }
                MusicEvent e = events.next();
                byte[] key = e.userId().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                sent.add(producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, key, e.toBytes())));
                what.add(new Object[] {key, e.toBytes(), null, e});
            }
            producer.flush();
        }
        List<HostileCorpus.Placed> placed = new java.util.ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            var m = sent.get(i).get(30, TimeUnit.SECONDS);
            Object[] w = what.get(i);
            placed.add(new HostileCorpus.Placed(m.partition(), m.offset(), (byte[]) w[0], (byte[]) w[1], (HostileCorpus.Case) w[2], (MusicEvent) w[3]));
        }
        return placed;
    }

    /** event_date=/event_type= path -> the sorted "partition@offset" of its rows. */
    private static Map<String, Set<String>> rowsByPath(Map<String, List<EventParquet.Row>> lake) {
        Map<String, Set<String>> byPath = new TreeMap<>();
        lake.forEach((key, rows) -> {
            String path = "event_date=" + Lake.partitionValue(key, "event_date") + "/event_type=" + Lake.partitionValue(key, "event_type");
            rows.forEach(r -> byPath.computeIfAbsent(path, p -> new java.util.TreeSet<>()).add(r.kafkaPartition() + "@" + r.kafkaOffset()));
        });
        return byPath;
    }
}
