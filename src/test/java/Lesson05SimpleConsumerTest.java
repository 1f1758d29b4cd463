import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Lesson 05 (the consumer loop with the solutions of 05.1 and 05.2): every valid event is read and typed; malformed messages are reported and never stop the loop. */
class Lesson05SimpleConsumerTest {
    private static final int VALID = 300;
    /** Bad messages, and where the test puts them among the valid ones (by position in the topic). */
    private static final Map<Integer, byte[]> BAD = Map.of(
            10, "hello, not json".getBytes(StandardCharsets.UTF_8),
            50, "{\"user\": \"wrong shape\"}".getBytes(StandardCharsets.UTF_8),
            100, new byte[0],
            150, "{\"event_params\":{\"event_type_id\":9,\"event_type\":\"track_share\",\"user_id\":\"u\",\"platform_token\":\"t\",\"ipv4\":\"1.2.3.4\",\"country\":\"Russia\"},\"event_timestamp_ms\":{\"ts\":1,\"ts_ms\":1000}}"
                    .getBytes(StandardCharsets.UTF_8),
            200, "{\"event_params\":{\"event_type_id\":1,".getBytes(StandardCharsets.UTF_8));
    private static final List<MusicEvent> produced = new ArrayList<>();
    private static TypedConsumer.Summary summary;
    private static String topic;
    private static String group;

    @BeforeAll
    static void produceAndConsume() {
        LabConfig lab = TestLab.config();
        topic = TestLab.unique("music_events");
        group = TestLab.unique("lesson05");
        LabKafka.ensureTopic(lab, topic, 1); // one partition: the test knows every message's offset
        Clickstream stream = new Clickstream(5);
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; values.size() < VALID + BAD.size(); i++) {
            if (BAD.containsKey(values.size())) {
                values.add(BAD.get(values.size()));
            } else {
                MusicEvent e = stream.next();
                produced.add(e);
                values.add(e.toBytes());
            }
        }
        TestTopics.produceRaw(lab, topic, values);
        // the lesson's program: the consumer loop of lab/kafka with the solutions of 05.1 (parse) and 05.2 (report)
        summary = TypedConsumer.consume(lab, topic, group, Duration.ofSeconds(3), StrictParse::parse, new ReportMalformed(), line -> { }, c -> { });
    }

    @Test
    void everyValidEventIsReadAndTypedAsItWasProduced() {
        assertThat(summary.events).as("typed events, in the topic's order").containsExactlyElementsOf(produced);
        Map<EventType, Long> expected = new EnumMap<>(EventType.class);
        produced.forEach(e -> expected.merge(e.type(), 1L, Long::sum));
        assertThat(summary.perType).as("events per type").isEqualTo(expected);
    }

    @Test
    void everyMalformedMessageIsReportedWithItsOffsetAndAReason() {
        assertThat(summary.malformed).as("malformed messages found").hasSize(BAD.size());
        assertThat(summary.malformed).extracting(TypedConsumer.Malformed::offset).as("their offsets")
                .containsExactlyInAnyOrderElementsOf(BAD.keySet().stream().map(Integer::longValue).toList());
        assertThat(summary.malformed).allSatisfy(m -> {
            assertThat(m.partition()).as("partition").isZero();
            assertThat(m.reason()).as("reason for offset %d", m.offset()).isNotBlank();
        });
        assertThat(summary.malformed.stream().filter(m -> m.offset() == 150).findFirst().orElseThrow().reason())
                .as("an unknown event type is named as such").contains("unknown event type 9");
    }

    @Test
    void noMalformedMessageStopsTheLoopAndTheGroupCommitsToTheEnd() throws Exception {
        assertThat(summary.total()).as("messages handled").isEqualTo(VALID + BAD.size());
        try (Admin admin = LabKafka.admin(TestLab.config())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            long end = admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get(10, TimeUnit.SECONDS).offset();
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS).get(tp);
            assertThat(committed).as("the group committed an offset").isNotNull();
            assertThat(committed.offset()).as("committed offset = log end: lag 0, past every bad message").isEqualTo(end);
        }
    }
}
