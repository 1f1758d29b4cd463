import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fenced writers: a sink instance stalls past its poll interval (a long GC pause, a laptop suspend) in the middle of
 * storing a batch; the group gives its partition to another instance, which stores and commits; then the stalled one
 * wakes up and finishes its uploads. No row may be lost, and none may be in the lake twice. (Seen failing before the
 * engine wrote its cuts down in Kafka: the stalled instance's smaller batch overwrote the other's objects of the same
 * names, and 100 of 1,000 offsets were missing from the lake.)
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class SinkZombieTest {
    @Test
    void aStalledInstanceThatWakesUpAfterAnotherTookItsPartitionLosesNoRow() throws Exception {
        LabConfig base = TestLab.config().withBucket(TestLab.unique("zombie"));
        String topic = TestLab.unique("music_events_zombie");
        String group = TestLab.unique("zombie");
        List<MusicEvent> produced = Lesson06S3SinkTest.produce(base, topic, 1, 1_000, 41);
        // the stalled instance is thrown out of the group 2 s after its last poll
        LabConfig stalling = base.withKafkaClientSetting("max.poll.interval.ms", "2000");

        CountDownLatch stalled = new CountDownLatch(1);
        CountDownLatch wakeUp = new CountDownLatch(1);
        ParquetSinkEngine zombie = ParquetSink.create(stalling, ParquetSinkEngine.Options.defaults(topic, group).batchSize(100)
                .flushInterval(Duration.ofSeconds(30)).stopWhenIdle(Duration.ofSeconds(3)).retryFor(Duration.ofSeconds(20))
                .progressEvery(Duration.ofMinutes(1)).log(line -> System.out.println("  [stalled] " + line))
                .hooks(new ParquetSinkEngine.Hooks() {
                    @Override
                    public void beforeUpload(String key) {
                        if (stalled.getCount() > 0) { // its first upload stalls...
                            stalled.countDown();
                            await(wakeUp);
                        }
                    }

                    @Override
                    public void afterRead(int records) {
                        if (stalled.getCount() == 0 && wakeUp.getCount() > 0) {
                            await(wakeUp); // ... and so does its consumer's thread, past the poll interval (a process frozen)
                        }
                    }
                }));
        AtomicReference<Throwable> zombieFailure = new AtomicReference<>();
        Thread zombieThread = new Thread(() -> {
            try {
                zombie.run();
            } catch (Throwable t) {
                zombieFailure.set(t);
            }
        }, "stalled-sink");
        zombieThread.start();
        assertThat(stalled.await(60, TimeUnit.SECONDS)).as("the first instance reached its first upload").isTrue();

        // another instance of the group (cutting its batches elsewhere: 300) takes the partition over and drains it
        ParquetSinkEngine other = ParquetSink.create(base, ParquetSinkEngine.Options.defaults(topic, group).batchSize(300)
                .flushInterval(Duration.ofSeconds(30)).stopWhenIdle(Duration.ofSeconds(4)).retryFor(Duration.ofSeconds(20))
                .progressEvery(Duration.ofMinutes(1)).log(line -> System.out.println("  [other] " + line)));
        AtomicReference<Throwable> otherFailure = new AtomicReference<>();
        Thread otherThread = new Thread(() -> {
            try {
                other.run();
            } catch (Throwable t) {
                otherFailure.set(t);
            }
        }, "other-sink");
        otherThread.start();
        TopicPartition tp = new TopicPartition(topic, 0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (Lesson06S3SinkTest.committed(base, group, topic).getOrDefault(tp, 0L) < 1_000 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(Lesson06S3SinkTest.committed(base, group, topic)).as("the other instance committed the whole partition")
                .containsEntry(tp, 1_000L);

        wakeUp.countDown(); // the stalled instance wakes up and finishes what it was doing
        zombieThread.join(60_000);
        otherThread.join(60_000);
        assertThat(otherFailure.get()).as("failure of the instance that took over").isNull();
        assertThat(other.stats().replayedCuts.get()).as("batches the other instance redid where the stalled one had cut them").isPositive();

        List<EventParquet.Row> rows = Lesson06S3SinkTest.lake(base, topic).values().stream().flatMap(List::stream).toList();
        Set<Long> offsets = new HashSet<>();
        rows.forEach(r -> offsets.add(r.kafkaOffset()));
        assertThat(offsets).as("distinct offsets in the lake after the stalled instance woke up and wrote: none lost").hasSize(produced.size());
        assertThat(rows).as("rows in the lake: none twice").hasSize(produced.size());
        assertThat(rows).extracting(EventParquet.Row::event).as("the events, as produced").containsExactlyInAnyOrderElementsOf(produced);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(90, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
