import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Exercise 02.3: no group, every message of every partition, and no offset committed anywhere. */
class ReadWithoutGroupTest {

    @Test
    void readsEveryMessageWhateverAnyGroupHasReadAndCommitsNothing() throws Exception {
        LabConfig lab = TestLab.config();
        String topic = TestLab.unique("read-without-group");
        LabKafka.ensureTopic(lab, topic, 3);
        List<String> written = TestTopics.values(TestTopics.produce(lab, topic, "m", 20));
        String group = TestLab.unique("group");
        assertThat(TestTopics.readAsGroup(lab, topic, group, Duration.ofSeconds(1))).as("a group reads it all first").hasSize(20);
        Map<Integer, Long> groupOffsets = LabTopics.committedOffsets(lab, group, topic);

        List<ConsumerRecord<String, String>> read;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(TestTopics.noGroupConfig(lab))) {
            read = ReadWithoutGroup.readAll(consumer, topic);
        }

        assertThat(read.stream().map(ConsumerRecord::value).toList())
                .as("no group: every message, whatever any group has read").containsExactlyInAnyOrderElementsOf(written);
        assertThat(read.stream().map(ConsumerRecord::partition).distinct().sorted().toList())
                .as("partitions read: all three").containsExactly(0, 1, 2);
        assertThat(groupsWithOffsetsFor(lab, topic)).as("groups at the broker holding offsets of this topic: only the one "
                + "that read it as a group; reading without a group committed nothing anywhere").containsExactly(group);
        assertThat(LabTopics.committedOffsets(lab, group, topic)).as("the group's offsets are untouched").isEqualTo(groupOffsets);
    }

    @Test
    void readingAgainReadsEverythingAgain() {
        LabConfig lab = TestLab.config();
        String topic = TestLab.unique("read-without-group");
        LabKafka.ensureTopic(lab, topic, 2);
        List<String> written = TestTopics.values(TestTopics.produce(lab, topic, "m", 9));
        for (int run = 1; run <= 2; run++) {
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(TestTopics.noGroupConfig(lab))) {
                assertThat(ReadWithoutGroup.readAll(consumer, topic).stream().map(ConsumerRecord::value).toList())
                        .as("run %d: nothing remembers where an earlier run got to", run).containsExactlyInAnyOrderElementsOf(written);
            }
        }
    }

    /** Every group at the broker (of any kind) that has a committed offset for a partition of {@code topic}. */
    private static List<String> groupsWithOffsetsFor(LabConfig lab, String topic) throws Exception {
        try (Admin admin = LabKafka.admin(lab)) {
            Map<String, ListConsumerGroupOffsetsSpec> all = new HashMap<>();
            for (GroupListing g : admin.listGroups().all().get(15, TimeUnit.SECONDS)) {
                all.put(g.groupId(), new ListConsumerGroupOffsetsSpec());
            }
            List<String> holding = new ArrayList<>();
            if (all.isEmpty()) {
                return holding;
            }
            ListConsumerGroupOffsetsResult offsets = admin.listConsumerGroupOffsets(all);
            for (String groupId : all.keySet()) {
                Map<TopicPartition, OffsetAndMetadata> byPartition;
                try {
                    byPartition = offsets.partitionsToOffsetAndMetadata(groupId).get(15, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    continue; // a group that is gone by now, or of a kind without offsets
                }
                if (byPartition.keySet().stream().anyMatch(tp -> tp.topic().equals(topic))) {
                    holding.add(groupId);
                }
            }
            return holding;
        }
    }
}
