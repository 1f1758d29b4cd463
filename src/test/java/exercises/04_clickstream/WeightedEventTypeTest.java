import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Exercise 04.1: the learner's draw gives each type its stretch of [0, 1) (the original's weights, written out here
 * from the syllabus), many draws come out in those shares, and the generator driven by it writes that mix to Kafka.
 */
class WeightedEventTypeTest {
    /** Where each type's stretch of [0, 1) starts: the running sum of the original's weights. */
    private static final Map<EventType, Double> STARTS = Map.of(EventType.TRACK_PLAYBACK, 0.0, EventType.PAUSE_TRACK, 0.35,
            EventType.RESUME_TRACK, 0.50, EventType.SKIPPING_TRACK_NEXT, 0.63, EventType.SKIPPING_TRACK_PREV, 0.75,
            EventType.ADDING_TRACK_TO_PLAYLIST, 0.82, EventType.TRACK_LIKE, 0.90, EventType.TRACK_UNLIKE, 0.96);

    @Test
    void eachTypeOwnsItsStretchOfZeroToOne() {
        WeightedEventType draw = new WeightedEventType();
        assertThat(draw.draw(0.0)).as("u = 0").isEqualTo(EventType.TRACK_PLAYBACK);
        STARTS.forEach((type, start) -> {
            assertThat(draw.draw(start + 1e-9)).as("just after %.2f", start).isEqualTo(type);
            assertThat(draw.draw(start + type.weight / 2)).as("in the middle of %s's stretch", type.nameEn).isEqualTo(type);
            assertThat(draw.draw(start + type.weight - 1e-9)).as("just before %s's stretch ends", type.nameEn).isEqualTo(type);
        });
        assertThat(draw.draw(Math.nextDown(1.0))).as("the largest u below 1").isEqualTo(EventType.TRACK_UNLIKE);
    }

    @Test
    void manyDrawsComeOutInTheOriginalsShares() {
        WeightedEventType draw = new WeightedEventType();
        Random random = new Random(41);
        Map<EventType, Integer> counts = new EnumMap<>(EventType.class);
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            counts.merge(draw.draw(random.nextDouble()), 1, Integer::sum);
        }
        for (EventType type : EventType.values()) {
            assertThat(counts.getOrDefault(type, 0) / (double) n).as("share of %s (weight %.2f)", type.nameEn, type.weight)
                    .isCloseTo(type.weight, within(0.005));
        }
    }

    @Test
    void theGeneratorDrivenByYourDrawWritesTheOriginalsMixToKafka() throws Exception {
        LabConfig lab = TestLab.config();
        String topic = TestLab.unique("weights04");
        LabKafka.ensureTopic(lab, topic, 3);
        Clickstream stream = new Clickstream(41, 500, 200, Instant.parse("2026-11-24T12:00:00Z").toEpochMilli(),
                new WeightedEventType(), Clickstream.BY_FIELD_LIST);
        ClickstreamProducer.run(lab, new Properties(), new ClickstreamSender(), ClickstreamProducer.Options.count(topic, 20_000), stream, s -> { });

        ObjectMapper json = new ObjectMapper();
        Map<EventType, Integer> counts = new EnumMap<>(EventType.class);
        int read = 0;
        for (ConsumerRecord<String, String> r : LabTopics.readAll(lab, topic, Duration.ofSeconds(30))) {
            counts.merge(EventType.byId(json.readTree(r.value()).path("event_params").path("event_type_id").asInt()), 1, Integer::sum);
            read++;
        }
        assertThat(read).as("events in the topic").isEqualTo(20_000);
        for (EventType type : EventType.values()) {
            // about 4 standard deviations at 20,000 events
            assertThat(counts.getOrDefault(type, 0) / (double) read).as("share of %s in the topic", type.nameEn)
                    .isCloseTo(type.weight, within(0.015));
        }
    }
}
