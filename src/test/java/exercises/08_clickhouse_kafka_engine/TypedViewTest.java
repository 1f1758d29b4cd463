import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.clickhouse.client.api.query.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exercise 08.2: the typed view turns every event of lesson 04's generator into one row of music_events whose typed
 * columns hold the generator's values, with Kafka's virtual columns saying where each row came from.
 */
class TypedViewTest {
    private static final int EVENTS = 2_000;
    private static final List<MusicEvent> produced = new ArrayList<>();
    private static ClickHouse ch;
    private static String topic;
    private static long rows;

    @BeforeAll
    static void consumeTheGeneratorsEvents() {
        Path view = MusicEventsPipeline.exercise("08.2", "music_events_mv.sql", 1,
                "write the SELECT of music_events_mv: parse raw into music_events' typed columns");
        TestClickHouse.Found found = TestClickHouse.get();
        ch = found.clickhouse();
        LabConfig lab = TestLab.config();
        topic = TestLab.unique("music_events_082");
        LabKafka.ensureTopic(lab, topic, 3);
        Clickstream stream = new Clickstream(8, 2_000, 500, Instant.parse("2026-11-24T10:00:00Z").toEpochMilli());
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            MusicEvent e = stream.next();
            produced.add(e);
            values.add(e.toBytes());
        }
        TestTopics.produceRaw(lab, topic, values);
        MusicEventsPipeline.start(ch, found.kafkaBrokerList(), topic, "08.2", view);
        rows = ClickHouse.awaitAtLeast(() -> ch.count("SELECT count() FROM music_events WHERE kafka_topic = '" + topic + "'"), EVENTS,
                Duration.ofSeconds(60));
    }

    @AfterAll
    static void stopConsuming() {
        if (ch != null) {
            MusicEventsPipeline.stop(ch);
        }
    }

    @Test
    void everyProducedEventIsOneRowExactlyOnceWithWhereItCameFrom() {
        assertThat(rows).as("rows in music_events after waiting up to 60 s").isEqualTo(EVENTS);
        assertThat(ch.count("SELECT uniqExact(kafka_partition, kafka_offset) FROM music_events WHERE kafka_topic = '" + topic + "'"))
                .as("distinct (partition, offset) pairs: no message twice").isEqualTo(EVENTS);
        assertThat(ch.count("SELECT uniqExact(kafka_partition) FROM music_events WHERE kafka_topic = '" + topic + "'"))
                .as("partitions the rows came from (_partition)").isEqualTo(3);
        assertThat(ch.count("SELECT count() FROM kafka_errors WHERE kafka_topic = '" + topic + "'")).as("valid events in kafka_errors")
                .isZero();
    }

    @Test
    void typedColumnsEqualTheGeneratorsValues() {
        Map<Long, Map<String, String>> byTime = new HashMap<>();
        for (GenericRecord row : ch.query("SELECT toUnixTimestamp64Milli(event_time) AS ts_ms, toTypeName(event_time) AS time_type, "
                + "toString(user_id) AS user, * EXCEPT (user_id) FROM music_events WHERE kafka_topic = '" + topic + "'")) {
            byTime.put(row.getLong("ts_ms"), ClickHouse.text(row));
        }
        int checked = 0;
        for (int i = 0; i < produced.size(); i += 7) { // a sample: every 7th event, all types
            MusicEvent e = produced.get(i);
            Map<String, String> row = byTime.get(e.tsMs());
            assertThat(row).as("a row with the event time %s (ts_ms %d) of %s", e.eventTime(), e.tsMs(), e.toJson()).isNotNull();
            assertThat(row.get("time_type")).as("event_time's type").isEqualTo("DateTime64(3, 'UTC')");
            assertThat(row.get("event_type_id")).as("event_type_id of %s", e.toJson()).isEqualTo(Integer.toString(e.type().id));
            assertThat(row.get("event_type")).as("event_type of %s", e.toJson()).isEqualTo(e.type().nameEn);
            assertThat(row.get("user")).as("user_id of %s", e.toJson()).isEqualTo(e.userId());
            assertThat(row.get("platform_token")).as("platform_token of %s", e.toJson()).isEqualTo(e.platformToken());
            assertThat(row.get("platform")).as("platform of %s", e.toJson())
                    .isEqualTo(e.platformToken().contains(":APA91b") ? "android" : "ios");
            assertThat(row.get("ipv4")).as("ipv4 of %s", e.toJson()).isEqualTo(e.ipv4());
            assertThat(row.get("country")).as("country of %s", e.toJson()).isEqualTo(e.country());
            assertThat(row.get("uuid_track")).as("uuid_track of %s", e.toJson()).isEqualTo(e.uuidTrack());
            assertThat(row.get("uuid_track_prev")).as("uuid_track_prev of %s", e.toJson()).isEqualTo(e.uuidTrackPrev());
            assertThat(row.get("uuid_track_current")).as("uuid_track_current of %s", e.toJson()).isEqualTo(e.uuidTrackCurrent());
            assertThat(row.get("uuid_playlist")).as("uuid_playlist of %s", e.toJson()).isEqualTo(e.uuidPlaylist());
            assertThat(row.get("like_status")).as("like_status of %s", e.toJson())
                    .isEqualTo(e.uuidTrackLikeStatus() == null ? null : e.uuidTrackLikeStatus().toString());
            checked++;
        }
        assertThat(checked).as("sampled events").isGreaterThan(EVENTS / 10);
    }
}
