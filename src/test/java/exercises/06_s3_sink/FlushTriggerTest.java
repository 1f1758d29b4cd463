import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Exercise 06.1 (FlushTrigger): the sink cuts a batch at BATCH_SIZE records, at a number of bytes, and when its first
 * record has waited the flush interval. Seen from outside: where the objects' rows start and end, and what is
 * committed while the sink runs.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FlushTriggerTest {
    private static ParquetSinkEngine.Options options(String topic, String group) {
        return ParquetSinkEngine.Options.defaults(topic, group).flushInterval(Duration.ofMinutes(5)).stopWhenIdle(Duration.ofSeconds(2))
                .retryFor(Duration.ofSeconds(20)).progressEvery(Duration.ofMinutes(1)).log(line -> System.out.println("  [sink] " + line));
    }

    @Test
    void aBatchIsCutAtBatchSizeRecords() throws Exception {
        LabConfig lab = TestLab.config().withBucket(TestLab.unique("trigger"));
        String topic = TestLab.unique("music_events");
        List<MusicEvent> produced = Lesson06S3SinkTest.produce(lab, topic, 1, 1_000, 11);
        Set<Long> commits = new TreeSet<>();
        ParquetSink.create(lab, options(topic, TestLab.unique("sink061")).batchSize(250).maxBatchBytes(1L << 30).hooks(recording(commits))).run();

        List<Long> cuts = List.of(0L, 250L, 500L, 750L, 1_000L); // every 250 records, counted from the first
        assertObjectsWithin(lab, topic, cuts, produced.size());
        assertThat(cuts).as("cuts at BATCH_SIZE 250: every committed offset is one of them").containsAll(commits);
    }

    @Test
    void aBatchIsCutAtItsSizeInBytes() throws Exception {
        LabConfig lab = TestLab.config().withBucket(TestLab.unique("trigger"));
        String topic = TestLab.unique("music_events");
        List<MusicEvent> produced = Lesson06S3SinkTest.produce(lab, topic, 1, 1_000, 12);
        long maxBytes = 60_000;
        // where a batch reaches 60,000 bytes (keys and values, as read from Kafka), counted from its first record
        List<Long> cuts = new ArrayList<>(List.of(0L));
        long bytes = 0;
        for (int i = 0; i < produced.size(); i++) {
            MusicEvent e = produced.get(i);
            bytes += e.userId().getBytes(StandardCharsets.UTF_8).length + e.toBytes().length;
            if (bytes >= maxBytes) {
                cuts.add(i + 1L);
                bytes = 0;
            }
        }
        if (cuts.get(cuts.size() - 1) != produced.size()) {
            cuts.add((long) produced.size()); // the rest, cut when the sink stops
        }
        Set<Long> commits = new TreeSet<>();
        ParquetSink.create(lab, options(topic, TestLab.unique("sink061")).batchSize(1_000_000).maxBatchBytes(maxBytes)
                .hooks(recording(commits))).run();

        assertThat(cuts.size()).as("batches of 60,000 bytes in 1,000 events of ~450 bytes").isBetween(7, 10);
        assertObjectsWithin(lab, topic, cuts, produced.size());
        assertThat(cuts).as("cuts every 60,000 bytes: every committed offset is one of them").containsAll(commits);
    }

    @Test
    void aBatchThatIsNotFullIsCutWhenItsFirstRecordHasWaitedTheFlushInterval() throws Exception {
        LabConfig lab = TestLab.config().withBucket(TestLab.unique("trigger"));
        String topic = TestLab.unique("music_events");
        String group = TestLab.unique("sink061");
        LabKafka.ensureTopic(lab, topic, 1);
        ParquetSinkEngine sink = ParquetSink.create(lab, options(topic, group).batchSize(10_000).flushInterval(Duration.ofSeconds(1))
                .stopWhenIdle(null));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread running = new Thread(() -> {
            try {
                sink.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "sink-under-test");
        running.start();
        try {
            Lesson06S3SinkTest.produce(lab, topic, 1, 25, 5);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            Map<TopicPartition, Long> end = Lesson06S3SinkTest.endOffsets(lab, topic);
            while (!Lesson06S3SinkTest.committed(lab, group, topic).equals(end) && running.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            if (failure.get() instanceof RuntimeException e) {
                throw e; // e.g. an unfinished TODO, as itself
            }
            assertThat(failure.get()).as("sink failure").isNull();
            assertThat(running.isAlive()).as("the sink is still running (no stop, no shutdown flush)").isTrue();
            assertThat(Lesson06S3SinkTest.committed(lab, group, topic)).as("committed by age: 25 records of BATCH_SIZE 10,000, "
                    + "flush interval 1 s").isEqualTo(end);
            assertThat(Lesson06S3SinkTest.lake(lab, topic).values().stream().mapToInt(List::size).sum()).as("rows stored by age").isEqualTo(25);
        } finally {
            sink.stop();
            running.join(15_000);
        }
    }

    private static ParquetSinkEngine.Hooks recording(Set<Long> commits) {
        return new ParquetSinkEngine.Hooks() {
            @Override
            public void beforeCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
                offsets.values().forEach(o -> commits.add(o.offset()));
            }
        };
    }

    /** Every object's rows lie between two consecutive cuts (an object never spans two batches); each offset is there once. */
    private static void assertObjectsWithin(LabConfig lab, String topic, List<Long> cuts, int events) {
        Map<String, List<EventParquet.Row>> lake = Lesson06S3SinkTest.lake(lab, topic);
        assertThat(lake.values().stream().mapToInt(List::size).sum()).as("rows in the lake").isEqualTo(events);
        lake.forEach((key, rows) -> {
            long first = rows.stream().mapToLong(EventParquet.Row::kafkaOffset).min().orElseThrow();
            long last = rows.stream().mapToLong(EventParquet.Row::kafkaOffset).max().orElseThrow();
            int batch = 0;
            while (cuts.get(batch + 1) <= first) {
                batch++;
            }
            assertThat(last).as("last offset of %s, whose first is %d: within the batch [%d, %d)", key, first, cuts.get(batch),
                    cuts.get(batch + 1)).isLessThan(cuts.get(batch + 1));
        });
    }
}
