import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Exercise 02.2: run in the lab's consumer loop, the step commits exactly what was processed - checked at the broker
 * (the Admin client's view of the group's offsets), not by trusting what the loop returns.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CommitAfterBatchTest {
    /** How long a run waits for one more record before it stops: short, the messages are already there. */
    private static final Duration IDLE = Duration.ofSeconds(1);

    @Test
    void aRunReadsEveryMessageOnceAndCommitsTheLogEnd() throws Exception {
        LabConfig lab = TestLab.config();
        String topic = topic(3);
        String group = TestLab.unique("group");
        List<String> written = TestTopics.values(TestTopics.produce(lab, topic, "first", 30));

        List<String> read = run(lab, topic, group);

        assertThat(read).as("a new group reads every message once").containsExactlyInAnyOrderElementsOf(written);
        Map<Integer, Long> end = LabTopics.endOffsets(lab, topic);
        assertThat(LabTopics.committedOffsets(lab, group, topic))
                .as("committed offsets at the broker = log-end offsets (lag 0 on every partition)").isEqualTo(end);
    }

    @Test
    void theNextRunsReadOnlyWhatWasWrittenSince() throws Exception {
        LabConfig lab = TestLab.config();
        String topic = topic(3);
        String group = TestLab.unique("group");
        TestTopics.produce(lab, topic, "old", 15);
        assertThat(run(lab, topic, group)).as("first run").hasSize(15);
        Map<Integer, Long> afterFirst = LabTopics.committedOffsets(lab, group, topic);
        assertThat(run(lab, topic, group)).as("a second run starts at the group's committed offsets: nothing new, nothing read")
                .isEmpty();
        assertThat(LabTopics.committedOffsets(lab, group, topic)).as("committed offsets unchanged by a run that read nothing")
                .isEqualTo(afterFirst);

        List<String> newer = TestTopics.values(TestTopics.produce(lab, topic, "new", 7));
        assertThat(run(lab, topic, group)).as("the next run reads the 7 new messages, none of the old")
                .containsExactlyInAnyOrderElementsOf(newer);
        assertThat(run(lab, topic, group)).as("and the run after that reads nothing").isEmpty();
        assertThat(LabTopics.committedOffsets(lab, group, topic)).as("committed = log end after reading the new ones")
                .isEqualTo(LabTopics.endOffsets(lab, topic));
    }

    @Test
    void whenProcessingFailsNothingUnprocessedIsCommittedAndTheNextRunReadsItAgain() throws Exception {
        LabConfig lab = TestLab.config();
        String topic = topic(3);
        String group = TestLab.unique("group");
        List<String> written = TestTopics.values(TestTopics.produce(lab, topic, "m", 30));
        List<ConsumerRecord<String, String>> processed = new ArrayList<>();
        List<ConsumerRecord<String, String>> failedOn = new ArrayList<>();
        Exception thrown = null;
        try {
            ConsumerLoop.run(TestTopics.groupConfig(lab, group), topic, IDLE, new CommitAfterBatch(), r -> {
                if (processed.size() == 7) {
                    failedOn.add(r);
                    throw new IllegalStateException("the database is down: could not process " + r.value());
                }
                processed.add(r);
            });
        } catch (Todo.NotDoneException todo) {
            throw todo;
        } catch (Exception e) {
            thrown = e;
        }
        assertThat(thrown).as("the processor's failure reaches the caller of the loop").isNotNull()
                .hasMessageStartingWith("the database is down");
        ConsumerRecord<String, String> failed = failedOn.get(0);
        Map<Integer, Long> committed = LabTopics.committedOffsets(lab, group, topic);
        Map<Integer, Long> processedUpTo = new TreeMap<>();
        processed.forEach(r -> processedUpTo.merge(r.partition(), r.offset() + 1, Math::max));
        committed.forEach((partition, offset) -> assertThat(offset)
                .as("committed offset of partition %d: never past what was processed there (%s)", partition, processedUpTo)
                .isLessThanOrEqualTo(processedUpTo.getOrDefault(partition, 0L)));
        assertThat(committed.getOrDefault(failed.partition(), 0L))
                .as("committed offset of partition %d, where processing failed at offset %d", failed.partition(), failed.offset())
                .isLessThanOrEqualTo(failed.offset());

        List<String> again = run(lab, topic, group);
        assertThat(again).as("the next run reads the message whose processing failed").contains(failed.value());
        Set<String> everything = new HashSet<>(again);
        processed.forEach(r -> everything.add(r.value()));
        assertThat(everything).as("processed by the failed run or read by the next one: every message, none lost")
                .containsExactlyInAnyOrderElementsOf(written);
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private static String topic(int partitions) {
        String topic = TestLab.unique("commit-after-batch");
        LabKafka.ensureTopic(TestLab.config(), topic, partitions);
        return topic;
    }

    /** One run of the lab's loop with the exercise's step; returns the values processed. */
    private static List<String> run(LabConfig lab, String topic, String group) throws Exception {
        List<String> values = new ArrayList<>();
        ConsumerLoop.run(TestTopics.groupConfig(lab, group), topic, IDLE, new CommitAfterBatch(), r -> values.add(r.value()));
        return values;
    }
}
