import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Exercise 06.4 (FlushOrder): store, await the dead letters, commit - so that a crash between any two steps loses no
 * record and a committed offset never covers a row that is not stored or a bad message that is not dead-lettered.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FlushOrderTest {
    private static ParquetSinkEngine.Options options(String topic, String group) {
        return ParquetSinkEngine.Options.defaults(topic, group).batchSize(250).stopWhenIdle(Duration.ofSeconds(2))
                .retryFor(Duration.ofSeconds(20)).log(line -> System.out.println("  [sink] " + line));
    }

    @Test
    void aCrashInTheMiddleOfTheUploadsLosesNothing() throws Exception {
        LabConfig lab = TestLab.config().withBucket(TestLab.unique("order"));
        String topic = TestLab.unique("music_events");
        String group = TestLab.unique("sink064");
        List<MusicEvent> produced = Lesson06S3SinkTest.produce(lab, topic, 1, 1_000, 3);
        AtomicInteger commitsSeen = new AtomicInteger();
        AtomicInteger uploadsAfterFirstCommit = new AtomicInteger();
        ParquetSinkEngine crashing = ParquetSink.create(lab, options(topic, group).hooks(new ParquetSinkEngine.Hooks() {
            @Override
            public void beforeCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
                commitsSeen.incrementAndGet();
            }

            @Override
            public void beforeUpload(String key) {
                if (commitsSeen.get() >= 1 && uploadsAfterFirstCommit.incrementAndGet() == 2) {
                    throw new ParquetSinkEngine.SimulatedCrash("in the middle of a batch's uploads");
                }
            }
        }));
        Lesson06S3SinkTest.runUntilTheCrash(crashing);

        ParquetSink.create(lab, options(topic, group)).run();

        List<EventParquet.Row> rows = Lesson06S3SinkTest.lake(lab, topic).values().stream().flatMap(List::stream).toList();
        Set<Long> offsets = new HashSet<>();
        rows.forEach(r -> offsets.add(r.kafkaOffset()));
        assertThat(offsets).as("offsets in the lake after a crash during the uploads and a restart (fewer: a batch was committed "
                + "before it was stored, and the restart started after it - data lost)").hasSize(produced.size());
        assertThat(rows).as("rows: each offset once").hasSize(produced.size());
        assertThat(Lesson06S3SinkTest.committed(lab, group, topic)).as("committed offsets after the restart: the end of the topic")
                .isEqualTo(Lesson06S3SinkTest.endOffsets(lab, topic));
    }

    @Test
    void aCommitNeverCoversARowThatIsNotStoredYet() throws Exception {
        LabConfig lab = TestLab.config().withBucket(TestLab.unique("order"));
        String topic = TestLab.unique("music_events");
        String group = TestLab.unique("sink064");
        List<MusicEvent> produced = Lesson06S3SinkTest.produce(lab, topic, 1, 750, 4);
        AtomicInteger commits = new AtomicInteger();
        AtomicInteger waitedAt = new AtomicInteger(-1);
        List<String> unstored = Collections.synchronizedList(new ArrayList<>());
        ParquetSink.create(lab, options(topic, group).workers(1).hooks(new ParquetSinkEngine.Hooks() {
            @Override
            public void beforeUpload(String key) {
                // the first upload after each commit waits (up to 1 s) for another commit to come first: one that
                // does, while this batch is not stored yet, was made before the store
                int seen = commits.get();
                if (waitedAt.getAndSet(seen) != seen) {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                    while (commits.get() == seen && System.nanoTime() < deadline) {
                        sleep(2);
                    }
                }
            }

            @Override
            public void beforeCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
                Set<Long> stored = new HashSet<>();
                Lesson06S3SinkTest.lake(lab, topic).values().forEach(rs -> rs.forEach(r -> stored.add(r.kafkaOffset())));
                offsets.forEach((tp, o) -> {
                    for (long i = 0; i < o.offset(); i++) {
                        if (!stored.contains(i)) {
                            unstored.add("offset " + i + " (committing " + o.offset() + ")");
                            return;
                        }
                    }
                });
                commits.incrementAndGet();
            }
        })).run();

        assertThat(unstored).as("commits made while rows below them were not in S3 yet").isEmpty();
        assertThat(Lesson06S3SinkTest.lake(lab, topic).values().stream().mapToInt(List::size).sum()).as("rows in the end").isEqualTo(produced.size());
        assertThat(commits.get()).as("commits made").isPositive();
        assertThat(Lesson06S3SinkTest.committed(lab, group, topic)).as("committed offsets in the end: the end of the topic")
                .isEqualTo(Lesson06S3SinkTest.endOffsets(lab, topic));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aBadMessagesOffsetIsNotCommittedBeforeItsDeadLetterIsAcknowledged() throws Exception {
        LabConfig lab = TestLab.config().withBucket(TestLab.unique("order"));
        String topic = TestLab.unique("music_events");
        String group = TestLab.unique("sink064");
        LabKafka.ensureTopic(lab, topic, 1);
        // a dead-letter topic that refuses the letter: compacted topics take no record without a key
        try (Admin admin = LabKafka.admin(lab)) {
            admin.createTopics(List.of(new NewTopic(topic + "_dlq", 1, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
                    .all().get(20, TimeUnit.SECONDS);
        }
        Clickstream stream = new Clickstream(9);
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            values.add(i == 150 ? "not an event".getBytes(StandardCharsets.UTF_8) : stream.next().toBytes());
        }
        TestTopics.produceRaw(lab, topic, values); // no keys: the dead letter of offset 150 has none either

        try {
            // one worker: the batches are flushed one after the other, so what each flush commits is not a matter of timing
            ParquetSink.create(lab, options(topic, group).batchSize(100).workers(1)).run();
            throw new AssertionError("the sink went on, although the dead letter of offset 150 could not be written");
        } catch (LabException e) {
            assertThat(e.getMessage()).as("why the sink stopped").contains(topic + "_dlq");
        }

        long committed = Lesson06S3SinkTest.committed(lab, group, topic).getOrDefault(new TopicPartition(topic, 0), 0L);
        assertThat(committed).as("committed offset: never past offset 150, whose dead letter Kafka refused (past it, the bad "
                + "message would be in neither the lake nor the dead-letter topic)").isLessThanOrEqualTo(150);
    }
}
