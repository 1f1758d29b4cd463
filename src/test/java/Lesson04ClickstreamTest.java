import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Lesson 04 as the lesson runs it: the generator loop of lab/kafka with the solutions of 04.1-04.4 (the draw, the
 * fields, the settings, the sender), both the original way (a flush per message) and the preferred way. Every event
 * is acknowledged, in the topic, and an event of the course's model. (Each exercise's own test checks its part.)
 */
class Lesson04ClickstreamTest {

    @Test
    void theWholeGeneratorDeliversEveryEventBothWays() throws Exception {
        LabConfig lab = TestLab.config();
        String topic = TestLab.unique("music_events");
        LabKafka.ensureTopic(lab, topic, 3);
        Clickstream stream = new Clickstream(42, 1_000, 500, Instant.parse("2026-11-24T12:00:00Z").toEpochMilli(),
                new WeightedEventType(), new TypeFields());

        ClickstreamProducer.Result original = ClickstreamProducer.run(lab, ClickstreamProducer.originalSettings(), new ClickstreamSender(),
                new ClickstreamProducer.Options(topic, 200, Duration.ZERO, 0, true), stream, s -> { });
        ClickstreamProducer.Result preferred = ClickstreamProducer.run(lab, PreferredSettings.preferred(), new ClickstreamSender(),
                ClickstreamProducer.Options.count(topic, 20_000), stream, s -> { });

        assertThat(original.acknowledged()).as("acknowledged, the original way").isEqualTo(200);
        assertThat(preferred.acknowledged()).as("acknowledged, the preferred way").isEqualTo(20_000);
        assertThat(original.failed() + preferred.failed()).as("failed sends").isZero();
        List<ConsumerRecord<String, String>> records = LabTopics.readAll(lab, topic, Duration.ofSeconds(30));
        assertThat(records).as("records in the topic").hasSize(20_200);
        Map<EventType, Integer> perType = new EnumMap<>(EventType.class);
        for (ConsumerRecord<String, String> r : records) {
            MusicEvent e = MusicEvent.parse(r.value().getBytes(StandardCharsets.UTF_8));
            assertThat(r.key()).as("key of p%d@%d", r.partition(), r.offset()).isEqualTo(e.userId());
            perType.merge(e.type(), 1, Integer::sum);
        }
        assertThat(perType.keySet()).as("every type of the service").containsExactlyInAnyOrder(EventType.values());
    }
}
