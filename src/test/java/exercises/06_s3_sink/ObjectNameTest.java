import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Exercise 06.3 (ObjectName): an object's name depends only on its rows, {@code <topic>+<partition>+<firstOffset>.parquet},
 * so a crash between storing and committing, and the restart that stores the same batch again, leave every row in the
 * lake once: the second write overwrites the first.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ObjectNameTest {
    private static ParquetSinkEngine.Options options(String topic, String group) {
        return ParquetSinkEngine.Options.defaults(topic, group).batchSize(250).stopWhenIdle(Duration.ofSeconds(2))
                .retryFor(Duration.ofSeconds(20)).log(line -> System.out.println("  [sink] " + line));
    }

    @Test
    void theNameIsTopicPartitionAndFirstOffset() {
        assertThat(new ObjectName().fileName("music_events", 2, 1200)).as("the name of partition 2's object starting at offset 1200")
                .isEqualTo("music_events+2+1200.parquet");
    }

    @Test
    void aCrashAfterTheUploadAndBeforeTheCommitIsOverwrittenOnRestart() throws Exception {
        LabConfig lab = TestLab.config().withBucket(TestLab.unique("names"));
        String topic = TestLab.unique("music_events");
        String group = TestLab.unique("sink063");
        List<MusicEvent> produced = Lesson06S3SinkTest.produce(lab, topic, 2, 1_200, 2);
        AtomicInteger commits = new AtomicInteger();
        ParquetSinkEngine crashing = ParquetSink.create(lab, options(topic, group).hooks(new ParquetSinkEngine.Hooks() {
            @Override
            public void beforeCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
                if (commits.incrementAndGet() == 3) {
                    throw new ParquetSinkEngine.SimulatedCrash("after the upload of a batch, before its commit");
                }
            }
        }));
        Lesson06S3SinkTest.runUntilTheCrash(crashing);
        int before = Lesson06S3SinkTest.lake(lab, topic).values().stream().mapToInt(List::size).sum();
        assertThat(before).as("rows stored before the crash").isPositive();

        ParquetSink.create(lab, options(topic, group).batchSize(400)).run(); // the restart, configured otherwise

        Map<String, List<EventParquet.Row>> lake = Lesson06S3SinkTest.lake(lab, topic);
        List<EventParquet.Row> rows = lake.values().stream().flatMap(List::stream).toList();
        Set<String> positions = new HashSet<>();
        rows.forEach(r -> positions.add(r.kafkaPartition() + "@" + r.kafkaOffset()));
        assertThat(positions).as("distinct (partition, offset) after crash + restart").hasSize(produced.size());
        assertThat(rows).as("rows after crash + restart: each event once (a name that changes between runs doubles them)")
                .hasSize(produced.size());
        lake.forEach((key, objectRows) -> {
            Lake.Key k = Lake.parse(key, 0);
            assertThat(k).as("%s names topic, partition and first offset", key).isNotNull();
            assertThat(k.topic()).as("topic in the name of %s", key).isEqualTo(topic);
            assertThat(objectRows).as("rows of %s come from the partition in its name", key)
                    .allSatisfy(r -> assertThat(r.kafkaPartition()).isEqualTo(k.partition()));
            assertThat(objectRows.stream().mapToLong(EventParquet.Row::kafkaOffset).min().orElseThrow())
                    .as("%s is named after its first row's offset", key).isEqualTo(k.firstOffset());
        });
        assertThat(Lesson06S3SinkTest.committed(lab, group, topic)).as("committed = end offsets").isEqualTo(Lesson06S3SinkTest.endOffsets(lab, topic));
    }
}
