import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Lesson 03's groups, with lab/kafka/GroupWorker and the test's own (right) commit rules: members of one group split
 * the partitions, another group reads everything again - and the handover check of CommitOnRevokeTest fails for each
 * wrong way of committing, so a learner's mistake cannot pass it.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class Lesson03GroupsTest {

    /** The right rules, written here so these tests do not depend on exercise 03.3. */
    static final GroupWorker.Commits RIGHT = new GroupWorker.Commits() {
        @Override
        public OffsetAndMetadata processed(ConsumerRecord<String, String> record) {
            return new OffsetAndMetadata(record.offset() + 1);
        }

        @Override
        public void onRevoked(Consumer<String, String> consumer, Map<TopicPartition, OffsetAndMetadata> processed) {
            consumer.commitSync(processed);
        }
    };

    /** Wrong ways of committing a learner might write. */
    enum Wrong implements GroupWorker.Commits {
        /** No commit when partitions are taken away: the next owner redoes everything since the last periodic commit. */
        NO_COMMIT_ON_REVOKE {
            @Override
            public void onRevoked(Consumer<String, String> consumer, Map<TopicPartition, OffsetAndMetadata> processed) {
            }
        },
        /** commitSync() with no arguments: commits what poll() returned, so the unprocessed rest of a batch is skipped. */
        COMMITS_WHAT_WAS_POLLED {
            @Override
            public void onRevoked(Consumer<String, String> consumer, Map<TopicPartition, OffsetAndMetadata> processed) {
                consumer.commitSync();
            }
        },
        /** The processed record's own offset, not the next one: the last record of each partition is processed again. */
        OFFSET_WITHOUT_PLUS_ONE {
            @Override
            public OffsetAndMetadata processed(ConsumerRecord<String, String> record) {
                return new OffsetAndMetadata(record.offset());
            }
        };

        @Override
        public OffsetAndMetadata processed(ConsumerRecord<String, String> record) {
            return RIGHT.processed(record);
        }

        @Override
        public void onRevoked(Consumer<String, String> consumer, Map<TopicPartition, OffsetAndMetadata> processed) {
            RIGHT.onRevoked(consumer, processed);
        }
    }

    @Test
    void twoMembersOfOneGroupSplitThePartitionsAndEachReadsOnlyItsOwn() throws Exception {
        LabConfig lab = TestLab.config();
        String topic = TestGroupWorkers.topic("lesson03-split");
        String group = TestLab.unique("lesson03-group");
        Queue<TestGroupWorkers.Seen> seen = new ConcurrentLinkedQueue<>();
        try (TestGroupWorkers workers = new TestGroupWorkers()) {
            GroupWorker a = workers.start(lab, topic, group, "A", RIGHT, (w, r) -> seen.add(new TestGroupWorkers.Seen("A", r.partition(), r.offset())));
            GroupWorker b = workers.start(lab, topic, group, "B", RIGHT, (w, r) -> seen.add(new TestGroupWorkers.Seen("B", r.partition(), r.offset())));
            TestGroupWorkers.await("both members own partitions", () -> !a.partitions().isEmpty() && !b.partitions().isEmpty(), a, b);
            Set<Integer> ofA = a.partitions();
            Set<Integer> ofB = b.partitions();
            assertThat(ofA).as("A's partitions %s and B's %s do not overlap", ofA, ofB).doesNotContainAnyElementsOf(ofB);
            Set<Integer> both = new HashSet<>(ofA);
            both.addAll(ofB);
            assertThat(both).as("together they own every partition").containsExactlyInAnyOrder(0, 1, 2);

            int count = TestGroupWorkers.produceInLargeBatches(lab, topic, 12, 5);
            TestGroupWorkers.await("all " + count + " records processed", () -> seen.size() >= count, a, b);
            for (TestGroupWorkers.Seen s : seen) {
                assertThat(s.worker().equals("A") ? ofA : ofB).as("%s processed partition %d: it must own it", s.worker(), s.partition())
                        .contains(s.partition());
            }
            assertThat(seen.stream().map(TestGroupWorkers.Seen::position).distinct().count()).as("distinct records processed: each once")
                    .isEqualTo(count);
        }
    }

    @Test
    void aSecondGroupReadsEverythingAgainAndEachGroupCommitsItsOwnOffsets() throws Exception {
        LabConfig lab = TestLab.config();
        String topic = TestGroupWorkers.topic("lesson03-groups");
        int count = TestGroupWorkers.produceInLargeBatches(lab, topic, 12, 4);
        Map<Integer, Long> end = LabTopics.endOffsets(lab, topic);
        Map<String, Set<String>> positionsByGroup = new HashMap<>();
        for (String group : List.of(TestLab.unique("lesson03-first"), TestLab.unique("lesson03-second"))) {
            Queue<TestGroupWorkers.Seen> seen = new ConcurrentLinkedQueue<>();
            try (TestGroupWorkers workers = new TestGroupWorkers()) {
                GroupWorker w = workers.start(lab, topic, group, "only", RIGHT,
                        (worker, r) -> seen.add(new TestGroupWorkers.Seen("only", r.partition(), r.offset())));
                TestGroupWorkers.await(group + " processed all " + count + " records", () -> seen.size() >= count, w);
            }
            positionsByGroup.put(group, seen.stream().map(TestGroupWorkers.Seen::position).collect(Collectors.toSet()));
            assertThat(seen).as("records processed by %s", group).hasSize(count);
            assertThat(LabTopics.committedOffsets(lab, group, topic))
                    .as("%s committed everything it processed when it left the group: committed = log end", group).isEqualTo(end);
        }
        List<Set<String>> readByGroup = new ArrayList<>(positionsByGroup.values());
        assertThat(readByGroup.get(1)).as("the second group read every record again, the same ones: a group's offsets are its own")
                .hasSize(count).isEqualTo(readByGroup.get(0));
    }

    @ParameterizedTest
    @EnumSource(Wrong.class)
    void theHandoverCheckSeesEachWrongWayOfCommitting(Wrong wrong) throws Exception {
        TestGroupWorkers.Handover h = TestGroupWorkers.handover(wrong);
        assertThat(h.twice().isEmpty() && h.neverProcessed().isEmpty())
                .as("with %s, the group processed records twice (%s) or never (%s): CommitOnRevokeTest would fail", wrong, h.twice(),
                        h.neverProcessed())
                .isFalse();
    }
}
