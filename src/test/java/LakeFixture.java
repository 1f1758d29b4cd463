import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lesson 09's lake, made once per test JVM and shared by its tests: 5,000 events of lesson 04's generator on a clock
 * stretched over about four hours across midnight UTC, written as Parquet by lesson 06's sink into a bucket of its own.
 * {@link #params()} fills the placeholders of sql/09_*.sql and the exercises; {@link #view()} (re)makes
 * music_events_lake over this lake, since other tests point it elsewhere.
 */
final class LakeFixture {
    static final int EVENTS = 5_000;
    static final long START = Instant.parse("2026-11-24T22:10:00Z").toEpochMilli();
    /** The generator's clock steps 1-100 ms per event; stretched 60x the 5,000 events span about four hours. */
    static final long STRETCH = 60;

    private static LakeFixture shared;

    final List<MusicEvent> produced = new ArrayList<>();
    final LabConfig lab;
    final String topic;
    final ClickHouse ch;
    final String kafkaBrokerList;
    final long sinkRows;

    private LakeFixture() {
        TestClickHouse.Found found = TestClickHouse.get(); // skips, naming what is missing, when there is no ClickHouse
        ch = found.clickhouse();
        kafkaBrokerList = found.kafkaBrokerList();
        lab = TestLab.config().withBucket(TestLab.unique("lake09")); // the sink creates it
        topic = TestLab.unique("music_events");
        LabKafka.ensureTopic(lab, topic, 3);
        Clickstream stream = new Clickstream(9, 1_000, 300, START);
        List<Map.Entry<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            MusicEvent e = stream.next();
            MusicEvent s = new MusicEvent(e.type(), e.userId(), e.platformToken(), e.ipv4(), e.country(), e.uuidTrack(), e.uuidTrackPrev(),
                    e.uuidTrackCurrent(), e.uuidPlaylist(), e.uuidTrackLikeStatus(), START + (e.tsMs() - START) * STRETCH);
            produced.add(s);
            records.add(Map.entry(s.userId(), s.toBytes()));
        }
        Lesson06S3SinkTest.send(lab, topic, records);
        ParquetSinkEngine.Stats stats = ParquetSink.create(lab, ParquetSinkEngine.Options.defaults(topic, TestLab.unique("sink09"))
                .batchSize(1_000).flushInterval(Duration.ofSeconds(10)).stopWhenIdle(Duration.ofSeconds(2))
                .retryFor(Duration.ofSeconds(20)).progressEvery(Duration.ofMinutes(1))
                .log(line -> System.out.println("  [sink] " + line))).run();
        sinkRows = stats.rows.get();
    }

    static synchronized LakeFixture get() {
        if (shared == null) {
            shared = new LakeFixture();
        }
        return shared;
    }

    Map<String, String> params() {
        Map<String, String> p = new HashMap<>(Map.of("kafka_broker_list", kafkaBrokerList, "music_events", topic,
                "s3_url", ClickHouse.s3EndpointFor(ch, lab), "s3_bucket", lab.bucket(),
                "s3_access_key", lab.s3AccessKey(), "s3_secret_key", lab.s3SecretKey()));
        p.put("event_date", produced.get(0).eventDate().toString());
        return p;
    }

    /** Points music_events_lake at this lake (sql/09_1_lake.sql). */
    LakeFixture view() {
        ch.runFile(Path.of("sql/09_1_lake.sql"), params());
        return this;
    }

    /** An exercise's SQL file as the build under test has it; stops at its TODO while the marker is there. */
    static Path exercise(String id, String name, int step, String what) {
        return MusicEventsPipeline.exercise(id, name, step, what);
    }
}
