import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;

/**
 * Exercise 04.4: with the learner's sender, every event is keyed by its user, each user's events sit in one partition in
 * the order they happened, the callback counts what the broker acknowledged and what it refused, and the rate limit
 * holds the generator back to the requested pace.
 */
class ClickstreamSenderTest {

    @Test
    void eachUsersEventsAreKeyedByTheUserAndKeepTheirOrderInOnePartition() throws Exception {
        ProducerRecordCheck.keyIsTheUser(new ClickstreamSender()); // your record first
        LabConfig lab = TestLab.config();
        String topic = TestLab.unique("sender04");
        LabKafka.ensureTopic(lab, topic, 3);
        Clickstream stream = new Clickstream(44, 300, 200, Instant.parse("2026-11-24T12:00:00Z").toEpochMilli());
        ClickstreamProducer.Result r = ClickstreamProducer.run(lab, new Properties(), new ClickstreamSender(),
                ClickstreamProducer.Options.count(topic, 10_000), stream, s -> { });
        assertThat(r.acknowledged()).as("acknowledged, counted by the callback").isEqualTo(10_000);

        Map<String, Integer> partitionOfUser = new HashMap<>();
        Map<String, Long> lastTsOfUser = new HashMap<>();
        for (ConsumerRecord<String, String> rec : LabTopics.readAll(lab, topic, Duration.ofSeconds(30))) { // each partition in order
            MusicEvent e = MusicEvent.parse(rec.value().getBytes(StandardCharsets.UTF_8));
            assertThat(rec.key()).as("key of p%d@%d", rec.partition(), rec.offset()).isEqualTo(e.userId());
            assertThat(partitionOfUser.computeIfAbsent(e.userId(), u -> rec.partition())).as("partition of user %s", e.userId())
                    .isEqualTo(rec.partition());
            Long previous = lastTsOfUser.put(e.userId(), e.tsMs());
            if (previous != null) {
                assertThat(e.tsMs()).as("events of user %s in the order they happened", e.userId()).isGreaterThan(previous);
            }
        }
        assertThat(new HashSet<>(partitionOfUser.values())).as("users spread over the 3 partitions").hasSize(3);
    }

    @Test
    void theCallbackCountsRefusedSendsAndKeepsTheFirstFailure() {
        LabConfig lab = TestLab.config();
        String topic = TestLab.unique("refused04");
        LabKafka.ensureTopic(lab, topic, 1);
        ClickstreamSender sender = new ClickstreamSender();
        ClickstreamProducer.Counts counts = new ClickstreamProducer.Counts();
        Properties settings = new Properties();
        settings.put("max.request.size", "200"); // every event is larger: the producer refuses each one, through the callback
        Clickstream stream = new Clickstream(45);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(ClickstreamProducer.config(lab, settings))) {
            for (int i = 0; i < 3; i++) {
                sender.send(producer, sender.record(topic, stream.next()), counts);
            }
            producer.flush();
        }
        assertThat(counts.failedCount()).as("sends refused").isEqualTo(3);
        assertThat(counts.acknowledgedCount()).as("sends acknowledged").isZero();
        assertThat(counts.firstFailure()).as("the first failure, kept").isInstanceOf(RecordTooLargeException.class);
    }

    @Test
    void theRateLimitSpacesEventsOneOverTheRateApart() {
        ClickstreamSender sender = new ClickstreamSender();
        assertThat(sender.pauseNanos(0, 100, 0)).as("the first event: at once").isZero();
        assertThat(sender.pauseNanos(100, 100, 0)).as("event 100 at 100/s, at the start: wait 1 s").isEqualTo(1_000_000_000L);
        assertThat(sender.pauseNanos(100, 100, 400_000_000L)).as("... 0.4 s into the run: wait 0.6 s").isEqualTo(600_000_000L);
        assertThat(sender.pauseNanos(100, 100, 2_000_000_000L)).as("behind schedule: no wait").isZero();
        assertThat(sender.pauseNanos(1_000_000, 0, 0)).as("rate 0: no limit").isZero();
        assertThat(sender.pauseNanos(3, 2, 0)).as("event 3 at 2/s: 1.5 s").isEqualTo(1_500_000_000L);
    }

    @Test
    void theGeneratorKeepsToTheRate() {
        LabConfig lab = TestLab.config();
        String topic = TestLab.unique("rate04");
        LabKafka.ensureTopic(lab, topic, 1);
        ClickstreamProducer.Result r = ClickstreamProducer.run(lab, new Properties(), new ClickstreamSender(),
                new ClickstreamProducer.Options(topic, 60, Duration.ZERO, 100, false), new Clickstream(46), s -> { });
        assertThat(r.acknowledged()).as("events acknowledged").isEqualTo(60);
        // 60 events at 100 a second: the last one is due 0.59 s after the first, however fast the machine
        assertThat(r.millis()).as("ms to send 60 events at 100/s").isGreaterThanOrEqualTo(590);
    }

    /** The record of one event, checked before anything is sent. */
    private static final class ProducerRecordCheck {
        static void keyIsTheUser(ClickstreamSender sender) {
            MusicEvent e = new Clickstream(47).next();
            var record = sender.record("t", e);
            assertThat(record.topic()).as("topic").isEqualTo("t");
            assertThat(record.key()).as("key: the user").isEqualTo(e.userId());
            assertThat(record.value()).as("value: the event's JSON").isEqualTo(e.toJson());
        }
    }
}
