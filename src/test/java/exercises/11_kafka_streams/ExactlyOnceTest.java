import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exercise 11.4: exactly_once_v2 and its read side, against the real broker of the test lab. The application runs in
 * a process of its own and is killed the hard way (SIGKILL) in the middle of its work, then started again: its
 * counts must come out exact, restored from its changelog, not doubled. Then a reader of its output must never see
 * a record of an aborted transaction.
 */
class ExactlyOnceTest {
    private static final int EVENTS = 20_000;

    /** Kafka Streams' own clients under the exercise's settings: it reads its input and repartition topics read_committed. */
    private static Properties exactlyOnceStreams(String applicationId) {
        Properties streams = new Properties();
        new ExactlyOnce().streamsSettings(streams);
        streams.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        streams.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
        Map<String, Object> consumer = new StreamsConfig(streams).getMainConsumerConfigs(applicationId, "check", 0);
        assertThat(consumer.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG))
                .as("the isolation level Kafka Streams gives its own consumer under these settings (read_committed means "
                        + "it runs with transactions)").isEqualTo("read_committed");
        return streams;
    }

    @Test
    void killedHardAndRestartedTheApplicationCountsEveryPlayOnce(@TempDir Path state) throws Exception {
        String applicationId = TestLab.unique("eos");
        exactlyOnceStreams(applicationId);
        LabConfig lab = TestLab.config();
        String topic = TestLab.unique("music_events_eos");
        LabKafka.ensureTopic(lab, topic, 3);
        List<MusicEvent> events = ClickstreamFeed.events(4, EVENTS, Instant.now().truncatedTo(ChronoUnit.MINUTES), Duration.ofMinutes(10));
        ClickstreamFeed.send(lab, topic, events, List.of());
        // the learner's parts by class name; no cache, so every update goes to the changelog and the output at once
        // (what a busy application with a full cache does): a kill then always lands in the middle of a transaction
        List<String> parts = List.of("EventTime", "PlaysPerMinute", "SkipRatePerSession", "ExactlyOnce");
        List<String> settings = List.of("statestore.cache.max.bytes=0", "commit.interval.ms=200");

        try (StreamsProcess first = StreamsProcess.start(lab, topic, applicationId, state, "eos-1", parts, settings)) {
            first.await("processed a quarter of the events", p -> p.seen() >= EVENTS / 4, Duration.ofSeconds(180));
            // and committed transactions holding a tenth of them: killed before, it would leave (next to) nothing in the
            // changelog to restore
            long committed = awaitCommitted(lab, applicationId, topic, EVENTS / 10, Duration.ofSeconds(60));
            first.kill();
            System.out.printf("[eos] killed after %,d of %,d events (%,d of them committed)%n", first.seen(), EVENTS, committed);
            assertThat(first.seen()).as("events the killed instance had seen: it must die in the middle").isLessThan(EVENTS);
        }
        try (StreamsProcess second = StreamsProcess.start(lab, topic, applicationId, state, "eos-1", parts, settings)) {
            second.await("started", p -> p.lines().stream().anyMatch(l -> l.startsWith("RUNNING")), Duration.ofSeconds(180));
            StreamsApp.awaitCaughtUp(lab, applicationId, topic, Duration.ofSeconds(300), () -> { });
            second.stop();
            System.out.printf("[eos] restarted instance saw %,d events; restored %s%n", second.seen(), second.restored());
            assertThat(second.restored()).as("store partitions the restarted instance rebuilt from their changelog topics (its local "
                    + "state, cut off by the kill, cannot be trusted under exactly-once)").anyMatch(r -> r.records() > 0);
            assertThat(second.seen()).as("events the restarted instance processed: the rest, plus the aborted transactions' again")
                    .isLessThan(EVENTS);
        }
        Properties reader = new Properties();
        new ExactlyOnce().readerSettings(reader);
        Map<String, Long> counted = new TreeMap<>();
        readAll(lab, applicationId + ".plays-per-minute", reader).forEach(r -> counted.put(r.key(), Long.parseLong(r.value())));
        assertThat(counted).as("plays per track per minute on the output topic (latest value per key, read committed) after a "
                + "SIGKILL and a restart, vs a plain count of the same events").isEqualTo(ClickstreamFeed.playsPerMinute(events));
    }

    @Test
    void aReaderOfTheOutputNeverSeesARecordOfAnAbortedTransaction() {
        exactlyOnceStreams(TestLab.unique("eos-reader"));
        LabConfig lab = TestLab.config();
        String topic = TestLab.unique("eos_output");
        LabKafka.ensureTopic(lab, topic, 1);
        Properties p = lab.kafkaProperties();
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TestLab.unique("eos-writer"));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "track-a@10:00", "1"));
            producer.commitTransaction();
            producer.beginTransaction(); // what a crashed instance leaves behind: written, then aborted
            producer.send(new ProducerRecord<>(topic, "track-a@10:00", "2"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "track-a@10:00", "2"));
            producer.commitTransaction();
        }
        Properties reader = new Properties();
        new ExactlyOnce().readerSettings(reader);
        assertThat(readAll(lab, topic, reader)).extracting(ConsumerRecord::value)
                .as("what a reader with your settings sees of: committed 1, aborted 2, committed 2").containsExactly("1", "2");
        Properties uncommitted = new Properties();
        ClickstreamTopology.AT_LEAST_ONCE.readerSettings(uncommitted);
        assertThat(readAll(lab, topic, uncommitted)).extracting(ConsumerRecord::value)
                .as("what a read_uncommitted reader sees: the aborted record too").containsExactly("1", "2", "2");
    }

    /** Waits until the application's group has committed at least {@code atLeast} input offsets (in its transactions). */
    private static long awaitCommitted(LabConfig lab, String applicationId, String topic, long atLeast, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long committed = 0;
        while (committed < atLeast && System.nanoTime() < deadline) {
            committed = LabTopics.committedOffsets(lab, applicationId, topic).values().stream().mapToLong(Long::longValue).sum();
            Thread.sleep(committed < atLeast ? 50 : 0);
        }
        assertThat(committed).as("input offsets the first instance committed within %s s (exactly-once commits them in its "
                + "transaction every commit.interval.ms)", timeout.toSeconds()).isGreaterThanOrEqualTo(atLeast);
        return committed;
    }

    private static List<ConsumerRecord<String, String>> readAll(LabConfig lab, String topic, Properties readerSettings) {
        return LabTopics.readAll(lab, topic, readerSettings, Duration.ofSeconds(60));
    }
}
