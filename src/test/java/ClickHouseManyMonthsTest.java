import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One Kafka block whose events span more than 100 months, and every year a valid event may have (2000-2099).
 * ClickHouse refuses an insert that touches more than max_partitions_per_insert_block (100) partitions: the whole block
 * fails, again and again, and the Kafka table is stuck at it. music_events is partitioned by year, so a block of valid
 * events touches at most 100 partitions. (Partitioned by month, this test's block, over 200 months, never arrived: 0 rows.)
 */
class ClickHouseManyMonthsTest {
    private static final int MONTHS = 150;
    private static final int YEARS = 100; // 2000-2099: MusicEvent's window
    private static ClickHouse ch;
    private static String topic;

    @BeforeAll
    static void oneBlockAcrossTheWholeWindow() {
        TestClickHouse.Found found = TestClickHouse.get();
        ch = found.clickhouse();
        LabConfig lab = TestLab.config();
        topic = TestLab.unique("many_months");
        LabKafka.ensureTopic(lab, topic, 1);
        Clickstream stream = new Clickstream(15, 500, 200, Instant.parse("2026-11-24T12:00:00Z").toEpochMilli());
        List<byte[]> values = new ArrayList<>();
        for (int m = 0; m < MONTHS; m++) { // one event in each month from 2001-01 on
            values.add(at(stream.next(), LocalDate.of(2001, 1, 15).plusMonths(m)).toBytes());
        }
        for (int y = 0; y < YEARS; y++) { // and one in each year of the window
            values.add(at(stream.next(), LocalDate.of(2000 + y, 6, 1)).toBytes());
        }
        TestTopics.produceRaw(lab, topic, values); // all there before the stream starts: the first block takes them all
        MusicEventsPipeline.start(ch, found.kafkaBrokerList(), topic, "none", null);
        MusicEventsPipeline.awaitVerdicts(ch, topic, MONTHS + YEARS, Duration.ofSeconds(90));
    }

    @AfterAll
    static void stopConsuming() {
        if (ch != null) {
            MusicEventsPipeline.stop(ch);
        }
    }

    @Test
    void aBlockSpanningMoreThan100MonthsIsStoredWhole() {
        assertThat(ch.count("SELECT count() FROM music_events WHERE kafka_topic = '" + topic + "'")).as("events stored")
                .isEqualTo(MONTHS + YEARS);
        assertThat(ch.count("SELECT uniqExact(toStartOfMonth(event_time)) FROM music_events WHERE kafka_topic = '" + topic + "'"))
                .as("months the block spans").isGreaterThan(100);
        assertThat(ch.count("SELECT uniqExact(toYear(event_time)) FROM music_events WHERE kafka_topic = '" + topic + "'"))
                .as("years the block spans: all of 2000-2099").isEqualTo(YEARS);
        assertThat(ch.count("SELECT count() FROM kafka_errors WHERE kafka_topic = '" + topic + "'")).as("error rows").isZero();
        assertThat(ch.count("SELECT sum(num_commits) FROM system.kafka_consumers WHERE database = currentDatabase() "
                + "AND table = 'music_events_queue'")).as("blocks the Kafka table committed: the events came in one").isEqualTo(1);
        assertThat(ch.count("SELECT sum(length(exceptions.text)) FROM system.kafka_consumers WHERE database = currentDatabase() "
                + "AND table = 'music_events_queue'")).as("errors of the Kafka table's consumer").isZero();
    }

    private static MusicEvent at(MusicEvent e, LocalDate day) {
        long ms = day.atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli() + e.tsMs() % 86_400_000L;
        return new MusicEvent(e.type(), e.userId(), e.platformToken(), e.ipv4(), e.country(), e.uuidTrack(), e.uuidTrackPrev(),
                e.uuidTrackCurrent(), e.uuidPlaylist(), e.uuidTrackLikeStatus(), ms);
    }
}
