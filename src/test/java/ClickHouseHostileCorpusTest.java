import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import com.clickhouse.client.api.query.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Lesson 08's road on the hostile corpus (lab/events/HostileCorpus): every kind, mixed into valid events on a keyed
 * 3-partition topic, through the Kafka table, the typed view and the errors view. For every offset exactly one verdict,
 * the event model's (MusicEvent.parse): a music_events row holding the very event the model reads, or a kafka_errors row.
 * Nothing dropped, nothing invented, and the table goes on consuming after the corpus. (The same corpus down both
 * roads, lake and Kafka engine: TwoRoadsHostileTest.)
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClickHouseHostileCorpusTest {
    private static final int VALID = 600;
    private static final int AFTER = 150;
    private static final Duration CONSUME_TIMEOUT = Duration.ofSeconds(180);
    /**
     * The kinds whose verdict does not come from music_event_error: the Kafka engine reads no row from a message without
     * bytes, so no view sees it, and the gap finder of sql/08_4 records its offset instead (with no raw message to keep).
     */
    private static final Map<String, String> NO_ROW_FROM_THE_ENGINE = Map.of(
            "tombstone", "a record without a value: the engine makes no row of it, the gap finder records its offset",
            "empty value", "zero bytes: the engine makes no row of it, the gap finder records its offset");

    private static ClickHouse ch;
    private static LabConfig lab;
    private static String topic;
    private static List<HostileCorpus.Placed> placed;

    @BeforeAll
    static void theCorpusThroughLesson08sTables() {
        TestClickHouse.Found found = TestClickHouse.get(); // skips, naming what is missing and how to install it
        ch = found.clickhouse();
        lab = TestLab.config();
        topic = TestLab.unique("hostile_ch");
        placed = HostileCorpus.writeMixed(lab, topic, VALID, 12);
        MusicEventsPipeline.start(ch, found.kafkaBrokerList(), topic, "none", null);
        MusicEventsPipeline.awaitVerdicts(ch, topic, placed.size(), CONSUME_TIMEOUT);
    }

    @AfterAll
    static void stopConsuming() {
        if (ch != null) {
            MusicEventsPipeline.stop(ch);
        }
    }

    @Test
    @Order(1)
    void theVerdictFunctionGivesEveryKindTheModelsVerdict() {
        Map<String, String> differ = new LinkedHashMap<>();
        StringBuilder table = new StringBuilder("kind | Java (MusicEvent.parse) | ClickHouse (music_event_error)\n");
        for (HostileCorpus.Case c : HostileCorpus.cases()) {
            String java = javaVerdict(c.value());
            String clickhouse = c.value() == null ? "invalid: no row (gap finder)" : clickHouseVerdict(c.value());
            table.append(c.name()).append(" | ").append(java).append(" | ").append(clickhouse).append('\n');
            if (java.startsWith("valid") != clickhouse.startsWith("valid") || NO_ROW_FROM_THE_ENGINE.containsKey(c.name())) {
                differ.put(c.name(), java + " / " + clickhouse);
            }
        }
        System.out.println(table);
        // the function must not answer a tombstone (it never gets one); every other kind, the empty value included,
        // it judges exactly as the model does
        assertThat(differ.keySet()).as("kinds music_event_error judges differently from MusicEvent.parse, or never sees: %s", differ)
                .containsExactlyInAnyOrder("tombstone", "empty value");
        assertThat(clickHouseVerdict(new byte[0])).as("were the engine to hand it over, an empty value is invalid").startsWith("invalid");
    }

    @Test
    @Order(2)
    void everyOffsetHasExactlyOneVerdictAndItIsTheModels() {
        Map<String, List<String>> verdicts = new HashMap<>();
        for (GenericRecord r : ch.query("SELECT kafka_partition, kafka_offset FROM music_events WHERE kafka_topic = '" + topic + "'")) {
            verdicts.computeIfAbsent(r.getString("kafka_partition") + "@" + r.getString("kafka_offset"), k -> new ArrayList<>()).add("event");
        }
        for (GenericRecord r : ch.query("SELECT kafka_partition, kafka_offset, error FROM kafka_errors WHERE kafka_topic = '" + topic + "'")) {
            verdicts.computeIfAbsent(r.getString("kafka_partition") + "@" + r.getString("kafka_offset"), k -> new ArrayList<>())
                    .add("error: " + r.getString("error"));
        }
        List<String> wrong = new ArrayList<>();
        for (HostileCorpus.Placed p : placed) {
            List<String> got = verdicts.remove(p.partition() + "@" + p.offset());
            if (got == null || got.size() != 1) {
                wrong.add(p.describe() + ": " + (got == null ? "no verdict" : got.size() + " verdicts " + got));
            } else if (p.valid() != got.get(0).equals("event")) {
                wrong.add(p.describe() + ": the model says " + (p.valid() ? "valid" : javaVerdict(p.value())) + ", ClickHouse " + got.get(0));
            }
        }
        verdicts.forEach((offset, got) -> wrong.add(offset + ": a verdict for an offset nobody wrote " + got));
        assertThat(wrong).as("offsets of %,d messages (%d kinds among %,d valid events) whose ClickHouse verdict is missing, "
                + "doubled, invented or not the model's", placed.size(), HostileCorpus.cases().size(), VALID).isEmpty();
    }

    @Test
    @Order(3)
    void aValidMessageIsStoredAsTheModelReadsItAndAnInvalidOneKeepsItsBytes() {
        Map<String, HostileCorpus.Placed> at = new HashMap<>();
        placed.forEach(p -> at.put(p.partition() + "@" + p.offset(), p));
        List<String> wrong = new ArrayList<>();
        for (GenericRecord r : ch.query("SELECT kafka_partition, kafka_offset, event_type_id, event_type, toString(user_id) AS user, "
                + "platform_token, toString(ipv4) AS ip, country, toString(uuid_track) AS track, toString(uuid_track_prev) AS prev, "
                + "toString(uuid_track_current) AS current, toString(uuid_playlist) AS playlist, like_status, "
                + "toUnixTimestamp64Milli(event_time) AS ts_ms FROM music_events WHERE kafka_topic = '" + topic + "'")) {
            HostileCorpus.Placed p = at.get(r.getString("kafka_partition") + "@" + r.getString("kafka_offset"));
            MusicEvent e = p == null ? null : p.expected();
            if (e == null) {
                continue; // the test above names it
            }
            MusicEvent stored = new MusicEvent(EventType.byId(r.getInteger("event_type_id")), r.getString("user"), r.getString("platform_token"),
                    r.getString("ip"), r.getString("country"), r.getString("track"), r.getString("prev"), r.getString("current"),
                    r.getString("playlist"), r.hasValue("like_status") ? Integer.valueOf(r.getInteger("like_status")) : null, r.getLong("ts_ms"));
            if (!stored.equals(e) || !r.getString("event_type").equals(e.type().nameEn)) {
                wrong.add(p.describe() + ": stored " + stored + ", the model reads " + e);
            }
        }
        assertThat(wrong).as("events stored otherwise than the model reads them (a 1970 time, a zero UUID, a cut number...)").isEmpty();
        assertThat(ch.count("SELECT count() FROM music_events WHERE kafka_topic = '" + topic + "' AND (event_time < '2000-01-01' "
                + "OR user_id = toUUID('00000000-0000-0000-0000-000000000000'))")).as("events from 1970 or of the nil user").isZero();

        for (HostileCorpus.Placed p : placed) {
            if (p.valid()) {
                continue;
            }
            GenericRecord e = ch.query("SELECT error, raw_message FROM kafka_errors WHERE kafka_topic = '" + topic + "' AND kafka_partition = "
                    + p.partition() + " AND kafka_offset = " + p.offset()).get(0);
            byte[] kept = p.value() == null ? new byte[0] : Arrays.copyOf(p.value(), Math.min(p.value().length, 65_536));
            assertThat(e.getString("error")).as("why %s is no event", p.describe()).isNotBlank().hasSizeLessThan(200);
            assertThat(ch.scalar("SELECT hex(raw_message) FROM kafka_errors WHERE kafka_topic = '" + topic + "' AND kafka_partition = "
                    + p.partition() + " AND kafka_offset = " + p.offset()))
                    .as("the bytes %s kept in kafka_errors (at most 64 KiB)", p.describe()).isEqualTo(HexFormat.of().withUpperCase().formatHex(kept));
        }
    }

    @Test
    @Order(4)
    void theTableGoesOnConsumingValidEventsAfterTheCorpus() {
        Clickstream stream = new Clickstream(13, 500, 200, Instant.parse("2026-11-25T12:00:00Z").toEpochMilli());
        Map<Integer, List<byte[]>> more = new TreeMap<>();
        for (int i = 0; i < AFTER; i++) {
            more.computeIfAbsent(i % 3, p -> new ArrayList<>()).add(stream.next().toBytes());
        }
        produce(lab, topic, more);
        long verdicts = MusicEventsPipeline.awaitVerdicts(ch, topic, placed.size() + AFTER, CONSUME_TIMEOUT);
        assertThat(verdicts).as("verdicts after %d more valid events", AFTER).isEqualTo(placed.size() + AFTER);
        long validBefore = placed.stream().filter(HostileCorpus.Placed::valid).count();
        assertThat(ch.count("SELECT count() FROM music_events WHERE kafka_topic = '" + topic + "'"))
                .as("events: %,d valid ones among the corpus, then %d more", validBefore, AFTER).isEqualTo(validBefore + AFTER);
        assertThat(ch.count("SELECT uniqExact(kafka_partition) FROM music_events WHERE kafka_topic = '" + topic + "' AND kafka_offset > "
                + "(SELECT max(kafka_offset) FROM kafka_errors WHERE kafka_topic = '" + topic + "' AND kafka_partition = music_events.kafka_partition)"))
                .as("partitions with events after their last invalid message").isEqualTo(3);
    }

    @Test
    @Order(5)
    void anEmptyMessageOrATombstoneAtTheVeryStartOrEndOfAPartitionGetsItsVerdict() {
        String edges = TestLab.unique("edges_ch");
        LabKafka.ensureTopic(lab, edges, 3);
        Clickstream stream = new Clickstream(14, 500, 200, Instant.parse("2026-11-24T12:00:00Z").toEpochMilli());
        Map<Integer, List<byte[]>> values = new TreeMap<>();
        for (int p = 0; p < 3; p++) {
            List<byte[]> v = values.computeIfAbsent(p, k -> new ArrayList<>());
            v.add(p == 1 ? null : new byte[0]);          // first: an empty message (a tombstone in partition 1)
            for (int i = 0; i < 20; i++) {
                v.add(stream.next().toBytes());
            }
            v.add(p == 1 ? new byte[0] : null);          // last: a tombstone (an empty message in partition 1)
        }
        produce(lab, edges, values);
        MusicEventsPipeline.stop(ch);
        MusicEventsPipeline.start(ch, TestClickHouse.get().kafkaBrokerList(), edges, "none", null);
        long verdicts = MusicEventsPipeline.awaitVerdicts(ch, edges, 3 * 22, CONSUME_TIMEOUT);
        assertThat(verdicts).as("verdicts for 3 partitions of 22 messages").isEqualTo(3 * 22);
        assertThat(ch.query("SELECT kafka_partition, kafka_offset FROM kafka_errors WHERE kafka_topic = '" + edges + "' ORDER BY 1, 2"))
                .extracting(r -> r.getString("kafka_partition") + "@" + r.getString("kafka_offset")).as("offsets recorded by the gap finder")
                .containsExactly("0@0", "0@21", "1@0", "1@21", "2@0", "2@21");
        assertThat(ch.count("SELECT uniqExact(kafka_partition, kafka_offset) FROM music_events WHERE kafka_topic = '" + edges + "'"))
                .as("events, once each").isEqualTo(60);
    }

    /** What the model says of a message: "valid", or "invalid: " and why. */
    static String javaVerdict(byte[] value) {
        try {
            MusicEvent.parse(value);
            return "valid";
        } catch (MalformedEventException e) {
            return "invalid: " + e.getMessage();
        }
    }

    /** What music_event_error says of the bytes: "valid", or "invalid: " and why. */
    static String clickHouseVerdict(byte[] value) {
        String error = ch.scalar("SELECT music_event_error(" + bytesLiteral(value) + ")");
        return error.isEmpty() ? "valid" : "invalid: " + error;
    }

    /**
     * The bytes as an SQL expression, exactly: unhex() of their hex digits, with every run of one byte longer than 64
     * as repeat() (so the 1 MB kinds make a short statement).
     */
    static String bytesLiteral(byte[] value) {
        List<String> parts = new ArrayList<>();
        int i = 0;
        while (i < value.length) {
            int run = i;
            while (run < value.length && value[run] == value[i]) {
                run++;
            }
            if (run - i > 64) {
                for (int left = run - i; left > 0; left -= 1_000_000) { // repeat() makes at most a million copies
                    parts.add("repeat(unhex('" + HexFormat.of().formatHex(value, i, i + 1) + "'), " + Math.min(left, 1_000_000) + ")");
                }
                i = run;
            } else {
                int end = i;
                while (end < value.length && !(end + 64 < value.length && allSame(value, end, end + 65))) {
                    end++;
                }
                parts.add("unhex('" + HexFormat.of().formatHex(value, i, end) + "')");
                i = end;
            }
        }
        return parts.isEmpty() ? "''" : parts.size() == 1 ? parts.get(0) : "concat(" + String.join(", ", parts) + ")";
    }

    private static boolean allSame(byte[] v, int from, int to) {
        for (int k = from + 1; k < to; k++) {
            if (v[k] != v[from]) {
                return false;
            }
        }
        return true;
    }

    /** Writes each list to its partition, in order (a null is a tombstone), keyed, and waits for the acknowledgements. */
    static void produce(LabConfig lab, String topic, Map<Integer, List<byte[]>> byPartition) {
        Properties props = lab.kafkaProperties();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            byPartition.forEach((partition, values) -> {
                for (byte[] v : values) {
                    sent.add(producer.send(new ProducerRecord<>(topic, partition, ("k" + partition).getBytes(StandardCharsets.UTF_8), v)));
                }
            });
            producer.flush();
            for (java.util.concurrent.Future<?> f : sent) {
                f.get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not write to " + topic + ": " + e, e);
        }
    }
}
