import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.clickhouse.client.api.query.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Lesson 09's "two roads, one count" on the hostile corpus: the whole of HostileCorpus.writeMixed read by lesson 06's
 * sink (Java, MusicEvent.parse: a lake row or a dead letter per offset) and by lesson 08's Kafka table (ClickHouse,
 * music_event_error: a music_events row or a kafka_errors row per offset). The same offsets are events on both roads,
 * the same offsets are errors on both, and sql/09_3_counts.sql finds every event type equal.
 */
class TwoRoadsHostileTest {
    private static ClickHouse ch;
    private static LabConfig lake;
    private static String topic;
    private static List<HostileCorpus.Placed> placed;
    private static ParquetSinkEngine.Stats sink;

    @BeforeAll
    static void theCorpusDownBothRoads() {
        TestClickHouse.Found found = TestClickHouse.get(); // skips, naming what is missing and how to install it
        ch = found.clickhouse();
        lake = TestLab.config().withBucket(TestLab.unique("lake-hostile")); // the sink creates it
        topic = TestLab.unique("hostile_roads");
        placed = HostileCorpus.writeMixed(lake, topic, 600, 21);
        MusicEventsPipeline.start(ch, found.kafkaBrokerList(), topic, "none", null);
        try {
            sink = ParquetSink.create(lake, ParquetSinkEngine.Options.defaults(topic, TestLab.unique("sink-hostile"))
                    .batchSize(1_000).flushInterval(Duration.ofSeconds(5)).stopWhenIdle(Duration.ofSeconds(3))
                    .retryFor(Duration.ofSeconds(20)).progressEvery(Duration.ofMinutes(1))
                    .log(line -> System.out.println("  [sink] " + line))).run();
        } catch (LabException e) {
            MusicEventsPipeline.stop(ch);
            throw new AssertionError("Lesson 06's sink did not get through the hostile corpus, so the lake road has no verdict for "
                    + "every offset (issue 12: a dead letter must always fit, whatever the message): " + e.getMessage(), e);
        }
        MusicEventsPipeline.awaitVerdicts(ch, topic, placed.size(), Duration.ofSeconds(180));
        ch.runFile(Path.of("sql/09_1_lake.sql"), params());
    }

    @AfterAll
    static void stopConsuming() {
        if (ch != null) {
            MusicEventsPipeline.stop(ch);
        }
    }

    @Test
    void theLakeAndTheKafkaEngineKeepTheSameOffsetsAndCountTheSame() {
        List<String> inLake = offsets("SELECT kafka_partition, kafka_offset FROM music_events_lake");
        List<String> inEngine = offsets("SELECT kafka_partition, kafka_offset FROM music_events WHERE kafka_topic = '" + topic + "'");
        assertThat(inLake).as("(partition, offset) of the lake's rows (%,d rows in %,d files) = of music_events' rows",
                sink.rows.get(), sink.files.get()).isEqualTo(inEngine);
        assertThat(inLake).as("valid messages on each road").hasSize((int) placed.stream().filter(HostileCorpus.Placed::valid).count());

        List<String> deadLetters = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : TestLake.readRaw(lake, topic + "_dlq")) {
            deadLetters.add(header(r, "dlq.source.partition") + "@" + header(r, "dlq.source.offset"));
        }
        deadLetters.sort(null);
        assertThat(deadLetters).as("(partition, offset) of the sink's dead letters = of kafka_errors' rows")
                .isEqualTo(offsets("SELECT kafka_partition, kafka_offset FROM kafka_errors WHERE kafka_topic = '" + topic + "'"));

        List<String> differ = new ArrayList<>();
        for (GenericRecord r : ch.queryFile(Path.of("sql/09_3_counts.sql"), params())) {
            if (r.getLong("in_lake") != r.getLong("in_kafka_engine")) {
                differ.add(r.getString("event_type") + ": lake " + r.getLong("in_lake") + ", kafka engine " + r.getLong("in_kafka_engine"));
            }
        }
        assertThat(differ).as("event types whose counts differ between the two roads (sql/09_3_counts.sql)").isEmpty();
    }

    private static Map<String, String> params() {
        return Map.of("music_events", topic, "s3_url", ClickHouse.s3EndpointFor(ch, lake), "s3_bucket", lake.bucket(),
                "s3_access_key", lake.s3AccessKey(), "s3_secret_key", lake.s3SecretKey());
    }

    private static List<String> offsets(String sql) {
        return ch.query(sql).stream().map(r -> r.getString("kafka_partition") + "@" + r.getString("kafka_offset")).sorted().toList();
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? "(no " + name + ")" : new String(h.value(), StandardCharsets.UTF_8);
    }
}
