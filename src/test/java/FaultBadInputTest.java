import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fault test: bad input in the middle of good events, the same topic read by lesson 05's consumer and lesson 06's sink.
 * Every kind of bad message (not JSON, truncated JSON, wrong types, an unknown event type, an empty value, a 1 MB
 * value, invalid UTF-8) is counted — reported by the consumer, dead-lettered by the sink with its exact bytes — the
 * stream goes on past it and every valid event arrives. (ReportMalformedTest and Lesson06S3SinkTest have a
 * few of these kinds; this one has all of them, at both readers, and the large and non-UTF-8 values.)
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FaultBadInputTest {
    private static final int VALID = 400;
    private static final String VALID_EVENT = new Clickstream(1).next().toJson();
    /** Each bad message, by kind, in the order they are put into the topic (every 40th position). */
    private static final Map<String, byte[]> BAD = new LinkedHashMap<>();

    static {
        BAD.put("not JSON", "hello, not json".getBytes(StandardCharsets.UTF_8));
        BAD.put("truncated JSON", VALID_EVENT.substring(0, VALID_EVENT.length() / 2).getBytes(StandardCharsets.UTF_8));
        BAD.put("event_type_id as a string", VALID_EVENT.replaceFirst("\"event_type_id\":(\\d+)", "\"event_type_id\":\"$1\"")
                .getBytes(StandardCharsets.UTF_8));
        BAD.put("ts_ms as a string", VALID_EVENT.replaceFirst("\"ts_ms\":(\\d+)", "\"ts_ms\":\"yesterday\"").getBytes(StandardCharsets.UTF_8));
        BAD.put("user_id as a number", VALID_EVENT.replaceFirst("\"user_id\":\"[^\"]*\"", "\"user_id\":12345").getBytes(StandardCharsets.UTF_8));
        BAD.put("unknown event type", VALID_EVENT.replaceFirst("\"event_type_id\":\\d+", "\"event_type_id\":99").getBytes(StandardCharsets.UTF_8));
        BAD.put("empty value", new byte[0]);
        BAD.put("1 MB value", oneMegabyte());
        BAD.put("invalid UTF-8 inside a valid event", invalidUtf8InsideEvent());
        BAD.put("invalid UTF-8 bytes only", new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE});
    }

    private static final List<MusicEvent> produced = new ArrayList<>();
    /** Offset (one partition) of each bad message. */
    private static final Map<Long, String> badAt = new LinkedHashMap<>();
    private static String topic;

    @BeforeAll
    static void produce() {
        Assumptions.assumeFalse("exercises".equals(System.getProperty("course.code")), "fault tests run against the solutions");
        LabConfig lab = TestLab.config();
        topic = TestLab.unique("music_events_bad");
        LabKafka.ensureTopic(lab, topic, 1); // one partition: the test knows every message's offset
        Clickstream stream = new Clickstream(77, 500, 200, Instant.parse("2026-11-24T12:00:00Z").toEpochMilli());
        List<String> kinds = new ArrayList<>(BAD.keySet());
        List<byte[]> values = new ArrayList<>();
        while (values.size() < VALID + BAD.size()) {
            int position = values.size();
            if (position % 40 == 20 && position / 40 < kinds.size()) {
                String kind = kinds.get(position / 40);
                badAt.put((long) position, kind);
                values.add(BAD.get(kind));
            } else {
                MusicEvent e = stream.next();
                produced.add(e);
                values.add(e.toBytes());
            }
        }
        assertThat(badAt).as("every kind of bad message is placed").hasSize(BAD.size());
        TestTopics.produceRaw(lab, topic, values);
    }

    @Test
    void theConsumerReportsEachBadMessageAndReadsEveryValidEvent() {
        TypedConsumer.Summary summary = TypedConsumer.consume(TestLab.config(), topic, TestLab.unique("fault05"), Duration.ofSeconds(3),
                MusicEvent::parse, new ReportMalformed(), line -> { }, c -> { });

        assertThat(summary.events).as("valid events, in order, none lost").containsExactlyElementsOf(produced);
        assertThat(summary.malformed).extracting(TypedConsumer.Malformed::offset).as("offsets reported as malformed")
                .containsExactlyElementsOf(badAt.keySet());
        summary.malformed.forEach(m -> assertThat(m.reason()).as("reason for %s", badAt.get(m.offset())).isNotBlank());
        assertThat(summary.total()).as("messages handled: the loop went on to the end").isEqualTo(VALID + BAD.size());
    }

    @Test
    void theSinkDeadLettersEachBadMessageWithItsExactBytesAndStoresEveryValidEvent() throws Exception {
        LabConfig lab = TestLab.config().withBucket(TestLab.unique("faultbad"));
        String group = TestLab.unique("faultsink");
        ParquetSinkEngine.Stats stats = ParquetSink.create(lab, ParquetSinkEngine.Options.defaults(topic, group).batchSize(150)
                .flushInterval(Duration.ofSeconds(20)).stopWhenIdle(Duration.ofSeconds(2)).retryFor(Duration.ofSeconds(20))
                .progressEvery(Duration.ofMinutes(1)).log(line -> System.out.println("  [sink] " + line))).run();

        List<EventParquet.Row> rows = Lesson06S3SinkTest.lake(lab, topic).values().stream().flatMap(List::stream).toList();
        assertThat(rows).extracting(EventParquet.Row::event).as("valid events in the lake, each once")
                .containsExactlyInAnyOrderElementsOf(produced);
        assertThat(stats.deadLetters.get()).as("dead letters counted").isEqualTo(BAD.size());

        Map<Long, byte[]> letters = readDeadLetters(lab, topic + "_dlq");
        assertThat(letters.keySet()).as("source offsets of the dead letters").containsExactlyInAnyOrderElementsOf(badAt.keySet());
        letters.forEach((offset, value) -> assertThat(Arrays.equals(value, BAD.get(badAt.get(offset))))
                .as("the dead letter of %s (offset %d) has the original bytes", badAt.get(offset), offset).isTrue());
        assertThat(Lesson06S3SinkTest.committed(lab, group, topic)).as("committed past every bad message")
                .isEqualTo(Lesson06S3SinkTest.endOffsets(lab, topic));
    }

    /** Source offset (header dlq.source.offset) to the dead letter's raw value. */
    private static Map<Long, byte[]> readDeadLetters(LabConfig lab, String dlq) {
        Properties props = lab.kafkaProperties();
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        Map<Long, byte[]> letters = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            TopicPartition tp = new TopicPartition(dlq, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    long source = Long.parseLong(new String(r.headers().lastHeader("dlq.source.offset").value(), StandardCharsets.UTF_8));
                    letters.put(source, r.value() == null ? new byte[0] : r.value());
                }
            }
        }
        return letters;
    }

    /** A JSON object of 1,000,000 bytes that is no event (under the broker's default 1 MiB message limit). */
    private static byte[] oneMegabyte() {
        String head = "{\"padding\":\"";
        String tail = "\"}";
        return (head + "x".repeat(1_000_000 - head.length() - tail.length()) + tail).getBytes(StandardCharsets.UTF_8);
    }

    /** A valid event whose country holds bytes that are not UTF-8 (0xC3 0x28: a lead byte without its continuation). */
    private static byte[] invalidUtf8InsideEvent() {
        byte[] json = VALID_EVENT.replaceFirst("\"country\":\"[^\"]*\"", "\"country\":\"@@\"").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + 1 < json.length; i++) {
            if (json[i] == '@' && json[i + 1] == '@') {
                json[i] = (byte) 0xC3;
                json[i + 1] = (byte) 0x28;
                return json;
            }
        }
        throw new IllegalStateException("no country in " + VALID_EVENT);
    }
}
