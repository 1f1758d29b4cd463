import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lesson 09: ClickHouse reads the Parquet lake of lesson 06 with s3() and hive partitioning. The same events go
 * down two roads - lesson 06's sink into S3, lesson 08's Kafka engine into MergeTree - and must arrive in equal
 * numbers; then each analytical answer of sql/09_*.sql (and the exercise's skip rate) must equal what Java computes
 * from the events this test produced, never from ClickHouse.
 */
class Lesson09ParquetLakeTest {
    private static final int EVENTS = 5_000;
    /** The events cross midnight UTC, so the lake has two event_date folders. */
    private static final long START = Instant.parse("2026-11-24T22:10:00Z").toEpochMilli();
    /**
     * The generator's simulated clock steps 1-100 ms per event; stretched 60x the 5,000 events span about four
     * hours, so "per hour" has several hours to count.
     */
    private static final long STRETCH = 60;
    private static final int MIN_PLAYS = 20;
    private static final Duration CONSUME_TIMEOUT = Duration.ofSeconds(90);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:00").withZone(ZoneOffset.UTC);

    private static final List<MusicEvent> produced = new ArrayList<>();
    private static ClickHouse ch;
    private static Map<String, String> params;
    private static Path skipRateSql;
    private static long engineRows;

    @BeforeAll
    static void produceSinkAndConsume() throws Exception {
        skipRateSql = skipRateSql(); // an untouched exercise stops here, with or without ClickHouse
        if (!TestClickHouse.available()) {
            return; // each test is then skipped by requireClickHouse(), with the reason
        }
        TestClickHouse.Found found = TestClickHouse.get();
        ch = found.clickhouse();
        LabConfig lab = TestLab.config().withBucket(TestLab.unique("lake09")); // the sink creates it
        String topic = TestLab.unique("music_events");
        LabKafka.ensureTopic(lab, topic, 3);

        Clickstream stream = new Clickstream(9, 1_000, 300, START);
        List<Map.Entry<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            MusicEvent e = stretched(stream.next());
            produced.add(e);
            records.add(Map.entry(e.userId(), e.toBytes()));
        }
        Lesson06S3SinkTest.send(lab, topic, records);

        long start = System.nanoTime();
        ParquetSinkEngine.Stats stats = ParquetSink.create(lab, ParquetSinkEngine.Options.defaults(topic, TestLab.unique("sink09"))
                .batchSize(1_000)
                .flushInterval(Duration.ofSeconds(10))
                .stopWhenIdle(Duration.ofSeconds(2))
                .retryFor(Duration.ofSeconds(20))
                .progressEvery(Duration.ofMinutes(1))
                .log(line -> System.out.println("  [sink] " + line))).run();
        long sinkMillis = (System.nanoTime() - start) / 1_000_000;

        params = Map.of("kafka_broker_list", found.kafkaBrokerList(), "music_events", topic,
                "s3_url", ClickHouse.s3EndpointFor(ch, lab), "s3_bucket", lab.bucket(),
                "s3_access_key", lab.s3AccessKey(), "s3_secret_key", lab.s3SecretKey());
        start = System.nanoTime();
        ch.runFile(Path.of("sql/08_2_kafka_errors.sql"), params);
        ch.runFile(Path.of("sql/08_4_music_events.sql"), params);
        // lesson 08's view as solved: this lesson's exercise is the skip rate, not lesson 08's view
        ch.runFile(Path.of("solutions/08_clickhouse/music_events_mv.sql"), params);
        engineRows = ClickHouse.awaitAtLeast(() -> ch.count("SELECT count() FROM music_events"), EVENTS, CONSUME_TIMEOUT);
        ch.runFile(Path.of("sql/09_1_lake.sql"), params);
        System.out.printf("[lesson 09] the sink wrote %,d rows in %,d files in %,d ms; the Kafka engine had %,d rows after %,d ms%n",
                stats.rows.get(), stats.files.get(), sinkMillis, engineRows, (System.nanoTime() - start) / 1_000_000);
    }

    @BeforeEach
    void requireClickHouse() {
        TestClickHouse.get(); // skips the test, naming what is missing and how to install it
    }

    /** The exercise's (or the solution's) skip-rate query; an untouched exercise stops here, at its TODO. */
    private static Path skipRateSql() throws Exception {
        Path file = Path.of(System.getProperty("course.code", "solutions"), "09_lake", "skip_rate.sql");
        if (Files.readString(file).contains("TODO 09.1")) {
            Todo.todo("09", 1, "write the skip-rate SELECT in " + file
                    + ": skips (as uuid_track_prev of a skip) / plays (track_playback) per track, then delete the TODO line");
        }
        return file;
    }

    /** The same event with its time stretched away from START (the generator's clock is fast). */
    private static MusicEvent stretched(MusicEvent e) {
        return new MusicEvent(e.type(), e.userId(), e.platformToken(), e.ipv4(), e.country(), e.uuidTrack(), e.uuidTrackPrev(),
                e.uuidTrackCurrent(), e.uuidPlaylist(), e.uuidTrackLikeStatus(), START + (e.tsMs() - START) * STRETCH);
    }

    private static List<Map<String, String>> ask(String file) {
        return ch.queryFile(Path.of(file), params);
    }

    @Test
    void theLakeTheKafkaEngineAndTheProducerAgreeOnEveryCount() {
        Map<String, Long> producedPerType = new TreeMap<>();
        produced.forEach(e -> producedPerType.merge(e.type().nameEn, 1L, Long::sum));
        Map<String, Long> lake = new TreeMap<>();
        Map<String, Long> engine = new TreeMap<>();
        for (Map<String, String> row : ask("sql/09_3_counts.sql")) {
            lake.put(row.get("event_type"), Long.parseLong(row.get("in_lake")));
            engine.put(row.get("event_type"), Long.parseLong(row.get("in_kafka_engine")));
        }
        assertThat(engineRows).as("rows in the Kafka-engine table music_events after waiting up to %s", CONSUME_TIMEOUT).isEqualTo(EVENTS);
        assertThat(ch.count("SELECT count() FROM music_events_lake")).as("rows s3() reads from the lake").isEqualTo(EVENTS);
        assertThat(lake).as("events per type in the lake (s3())").isEqualTo(producedPerType);
        assertThat(engine).as("events per type in the Kafka-engine table").isEqualTo(producedPerType);
    }

    @Test
    void hivePartitioningTurnsTheFoldersIntoColumnsThatAgreeWithTheRows() {
        Map<String, String> types = new HashMap<>();
        ch.query("SELECT name, type FROM system.columns WHERE database = currentDatabase() AND table = 'music_events_lake'")
                .forEach(r -> types.put(r.get("name"), r.get("type")));
        assertThat(types).as("columns of the view over s3(): the file's, plus event_date from the folders")
                .containsEntry("event_date", "Date").containsEntry("event_time", "DateTime64(3, 'UTC')")
                .containsEntry("event_type", "String"); // in the file AND the path: one column, the file's type
        Set<String> dates = new HashSet<>();
        produced.forEach(e -> dates.add(e.eventDate().toString()));
        assertThat(ch.query("SELECT DISTINCT toString(event_date) AS d FROM music_events_lake ORDER BY d"))
                .extracting(r -> r.get("d")).as("event_date values read off the folders (the events cross midnight)")
                .containsExactlyInAnyOrderElementsOf(dates).hasSize(2);
        Map<String, String> check = ask("sql/09_2_partition_check.sql").get(0);
        assertThat(check.get("rows")).as("rows read with use_hive_partitioning = 0").isEqualTo(Integer.toString(EVENTS));
        assertThat(check.get("type_differs")).as("rows whose event_type differs from their folder's event_type=").isEqualTo("0");
        assertThat(check.get("date_differs")).as("rows whose event date (UTC) differs from their folder's event_date=").isEqualTo("0");
        String oneDate = produced.get(0).eventDate().toString();
        long javaCount = produced.stream().filter(e -> e.eventDate().toString().equals(oneDate) && e.type() == EventType.TRACK_LIKE).count();
        assertThat(ch.count("SELECT count() FROM music_events_lake WHERE event_date = '" + oneDate + "' AND event_type = 'track_like'"))
                .as("rows of one partition (event_date=%s, event_type=track_like)", oneDate).isEqualTo(javaCount);
    }

    @Test
    void topTracksByPlaysEqualJavasCount() {
        Map<String, Long> plays = new HashMap<>();
        produced.stream().filter(e -> e.type() == EventType.TRACK_PLAYBACK).forEach(e -> plays.merge(e.uuidTrack(), 1L, Long::sum));
        List<String> expected = plays.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(10).map(e -> e.getKey() + " " + e.getValue()).toList();
        List<String> actual = ask("sql/09_4_top_tracks.sql").stream().map(r -> r.get("track") + " " + r.get("plays")).toList();
        assertThat(actual).as("top 10 tracks by plays (track plays), ties by track id").isEqualTo(expected);
    }

    @Test
    void eventsPerTypePerHourByEventTimeInUtcEqualJavasCount() {
        Map<String, Long> expected = new TreeMap<>();
        produced.forEach(e -> expected.merge(HOUR.format(e.eventTime().truncatedTo(ChronoUnit.HOURS)) + " " + e.type().nameEn, 1L, Long::sum));
        Map<String, Long> actual = new LinkedHashMap<>();
        ask("sql/09_5_events_per_hour.sql").forEach(r -> actual.put(r.get("hour") + " " + r.get("event_type"), Long.parseLong(r.get("events"))));
        assertThat(expected.keySet().stream().map(k -> k.substring(0, 16)).distinct().count()).as("hours the events span").isGreaterThanOrEqualTo(4);
        assertThat(actual).as("events per (hour, type)").isEqualTo(expected);
        assertThat(List.copyOf(actual.keySet())).as("rows ordered by hour, then type").isEqualTo(List.copyOf(expected.keySet()));
    }

    @Test
    void listenersPerCountryAreDistinctUsersWithPlays() {
        Map<String, Set<String>> users = new HashMap<>();
        produced.stream().filter(e -> e.type() == EventType.TRACK_PLAYBACK)
                .forEach(e -> users.computeIfAbsent(e.country(), c -> new HashSet<>()).add(e.userId()));
        Map<String, Long> expected = new TreeMap<>();
        users.forEach((country, who) -> expected.put(country, (long) who.size()));
        Map<String, Long> actual = new TreeMap<>();
        List<Map<String, String>> rows = ask("sql/09_6_listeners_per_country.sql");
        rows.forEach(r -> actual.put(r.get("country"), Long.parseLong(r.get("listeners"))));
        assertThat(actual).as("distinct users with at least one play, per country").isEqualTo(expected);
        assertThat(rows.get(0).get("country")).as("the country with the most listeners comes first")
                .isEqualTo(expected.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey());
    }

    @Test
    void skipRatePerTrackEqualsJavasSkipsOverPlays() {
        Map<String, long[]> skipsAndPlays = new HashMap<>();
        for (MusicEvent e : produced) {
            switch (e.type()) {
                case TRACK_PLAYBACK -> skipsAndPlays.computeIfAbsent(e.uuidTrack(), t -> new long[2])[1]++;
                case SKIPPING_TRACK_NEXT, SKIPPING_TRACK_PREV -> skipsAndPlays.computeIfAbsent(e.uuidTrackPrev(), t -> new long[2])[0]++;
                default -> { }
            }
        }
        Map<String, String> expected = new TreeMap<>();
        skipsAndPlays.forEach((track, sp) -> {
            if (sp[1] >= MIN_PLAYS) {
                expected.put(track, sp[0] + " skips / " + sp[1] + " plays");
            }
        });
        List<Map<String, String>> rows = ch.queryFile(skipRateSql, params);
        Map<String, String> actual = new TreeMap<>();
        for (Map<String, String> r : rows) {
            actual.put(r.get("track"), r.get("skips") + " skips / " + r.get("plays") + " plays");
            long[] sp = skipsAndPlays.getOrDefault(r.get("track"), new long[2]);
            assertThat(Double.parseDouble(r.get("skip_rate"))).as("skip_rate of %s (%d skips / %d plays)", r.get("track"), sp[0], sp[1])
                    .isCloseTo(sp[1] == 0 ? 0 : (double) sp[0] / sp[1], within(0.00006));
        }
        assertThat(expected).as("tracks with at least %d plays (a test needs some)", MIN_PLAYS).hasSizeGreaterThan(3);
        assertThat(actual).as("skips (as uuid_track_prev of a skip) and plays per track with at least %d plays, from %s", MIN_PLAYS,
                skipRateSql).isEqualTo(expected);
        List<Double> rates = rows.stream().map(r -> Double.parseDouble(r.get("skip_rate"))).toList();
        assertThat(rates).as("highest skip rate first").isSortedAccordingTo(Comparator.reverseOrder());
    }
}
