import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.clickhouse.client.api.query.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Lesson 09 as a whole (each exercise has its own test in exercises/09_parquet_lake/): ClickHouse reads lesson 06's
 * Parquet lake with s3() and hive partitioning; the same events go down two roads - the sink into S3, lesson 08's
 * Kafka engine into music_events - and arrive in equal numbers; the listeners per country equal Java's count.
 */
class Lesson09ParquetLakeTest {
    private static LakeFixture lake;
    private static long engineRows;

    @BeforeAll
    static void theLakeAndTheKafkaEngineReadTheSameTopic() {
        lake = LakeFixture.get();
        MusicEventsPipeline.start(lake.ch, lake.kafkaBrokerList, lake.topic, "none", null);
        engineRows = ClickHouse.awaitAtLeast(() -> lake.ch.count("SELECT count() FROM music_events"), LakeFixture.EVENTS, Duration.ofSeconds(90));
        lake.view();
    }

    @AfterAll
    static void stopConsuming() {
        if (lake != null) {
            MusicEventsPipeline.stop(lake.ch);
        }
    }

    private static List<GenericRecord> ask(String file) {
        return lake.ch.queryFile(Path.of(file), lake.params());
    }

    @Test
    void theLakeTheKafkaEngineAndTheProducerAgreeOnEveryCount() {
        Map<String, Long> producedPerType = new TreeMap<>();
        lake.produced.forEach(e -> producedPerType.merge(e.type().nameEn, 1L, Long::sum));
        Map<String, Long> inLake = new TreeMap<>();
        Map<String, Long> inEngine = new TreeMap<>();
        for (GenericRecord row : ask("sql/09_3_counts.sql")) {
            inLake.put(row.getString("event_type"), row.getLong("in_lake"));
            inEngine.put(row.getString("event_type"), row.getLong("in_kafka_engine"));
        }
        assertThat(engineRows).as("rows in the Kafka-engine table music_events").isEqualTo(LakeFixture.EVENTS);
        assertThat(lake.ch.count("SELECT count() FROM music_events_lake")).as("rows s3() reads from the lake").isEqualTo(LakeFixture.EVENTS);
        assertThat(inLake).as("events per type in the lake (s3())").isEqualTo(producedPerType);
        assertThat(inEngine).as("events per type in the Kafka-engine table").isEqualTo(producedPerType);
    }

    @Test
    void hivePartitioningTurnsTheFoldersIntoColumnsThatAgreeWithTheRows() {
        Map<String, String> types = new HashMap<>();
        lake.ch.query("SELECT name, type FROM system.columns WHERE database = currentDatabase() AND table = 'music_events_lake'")
                .forEach(r -> types.put(r.getString("name"), r.getString("type")));
        assertThat(types).as("columns of the view over s3(): the file's, plus event_date from the folders")
                .containsEntry("event_date", "Date").containsEntry("event_time", "DateTime64(3, 'UTC')")
                .containsEntry("event_type", "String"); // in the file AND the path: one column, the file's type
        Set<String> dates = new HashSet<>();
        lake.produced.forEach(e -> dates.add(e.eventDate().toString()));
        assertThat(lake.ch.query("SELECT DISTINCT toString(event_date) AS d FROM music_events_lake ORDER BY d"))
                .extracting(r -> r.getString("d")).as("event_date values read off the folders (the events cross midnight)")
                .containsExactlyInAnyOrderElementsOf(dates).hasSize(2);
        GenericRecord check = ask("sql/09_2_partition_check.sql").get(0);
        assertThat(check.getLong("rows")).as("rows read with use_hive_partitioning = 0").isEqualTo(LakeFixture.EVENTS);
        assertThat(check.getLong("type_differs")).as("rows whose event_type differs from their folder's event_type=").isZero();
        assertThat(check.getLong("date_differs")).as("rows whose event date (UTC) differs from their folder's event_date=").isZero();
    }

    @Test
    void listenersPerCountryAreDistinctUsersWithPlays() {
        Map<String, Set<String>> users = new HashMap<>();
        lake.produced.stream().filter(e -> e.type() == EventType.TRACK_PLAYBACK)
                .forEach(e -> users.computeIfAbsent(e.country(), c -> new HashSet<>()).add(e.userId()));
        Map<String, Long> expected = new TreeMap<>();
        users.forEach((country, who) -> expected.put(country, (long) who.size()));
        Map<String, Long> actual = new TreeMap<>();
        List<GenericRecord> rows = ask("sql/09_6_listeners_per_country.sql");
        rows.forEach(r -> actual.put(r.getString("country"), r.getLong("listeners")));
        assertThat(actual).as("distinct users with at least one play, per country").isEqualTo(expected);
        assertThat(rows.get(0).getString("country")).as("the country with the most listeners comes first")
                .isEqualTo(expected.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey());
    }
}
