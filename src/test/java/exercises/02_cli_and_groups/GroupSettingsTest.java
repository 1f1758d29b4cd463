import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

/** Exercise 02.1: the settings as Kafka reads them, and what a consumer made from them does at the broker. */
class GroupSettingsTest {

    @Test
    void theSettingsAreTheGroupNoAutoCommitAndEarliest() {
        LabConfig lab = TestLab.config();
        // Kafka's own reading of the settings (what the consumer will really do)
        ConsumerConfig config = new ConsumerConfig(GroupSettings.config(lab, "some-group"));
        assertThat(config.getString(ConsumerConfig.GROUP_ID_CONFIG)).as("group.id").isEqualTo("some-group");
        assertThat(config.getBoolean(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG))
                .as("enable.auto.commit: offsets are committed by the code, after processing, not on a timer").isFalse();
        assertThat(config.getString(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG))
                .as("auto.offset.reset: a new group must not skip what was written before it joined").isEqualTo("earliest");
        assertThat(config.getList(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)).as("bootstrap.servers: the lab's address is kept")
                .containsExactly(lab.kafkaBootstrap().split(","));
    }

    @Test
    void aNewGroupReadsWhatWasWrittenBeforeItJoinedAndCommitsNothingByItself() throws Exception {
        LabConfig lab = TestLab.config();
        String topic = TestLab.unique("group-settings");
        LabKafka.ensureTopic(lab, topic, 3);
        List<String> written = TestTopics.values(TestTopics.produce(lab, topic, "before", 12));
        String group = TestLab.unique("group");

        List<String> read;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(GroupSettings.config(lab, group))) {
            read = subscribeAndRead(consumer, topic, written.size());
        } // closing: an auto-committing consumer commits here
        assertThat(read).as("a brand-new group reads the 12 messages written before it joined (within 30 s)")
                .containsExactlyInAnyOrderElementsOf(written);
        assertThat(LabTopics.committedOffsets(lab, group, topic))
                .as("offsets the group committed at the broker: none, the code did not commit (no auto-commit, not even on close)")
                .isEmpty();
    }

    @Test
    void aSecondGroupReadsEverythingAgainAndTheFirstGroupsOffsetsStayItsOwn() throws Exception {
        LabConfig lab = TestLab.config();
        String topic = TestLab.unique("group-settings");
        LabKafka.ensureTopic(lab, topic, 2);
        List<String> written = TestTopics.values(TestTopics.produce(lab, topic, "m", 12));
        String first = TestLab.unique("group");
        assertThat(TestTopics.readAsGroup(lab, topic, first, Duration.ofSeconds(1))).as("the first group").hasSize(12);
        Map<Integer, Long> firstsOffsets = LabTopics.committedOffsets(lab, first, topic);

        String second = TestLab.unique("group");
        List<String> read;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(GroupSettings.config(lab, second))) {
            read = subscribeAndRead(consumer, topic, written.size());
            consumer.commitSync();
        }
        assertThat(read).as("another group has offsets of its own: it starts at the earliest offset and reads everything")
                .containsExactlyInAnyOrderElementsOf(written);
        assertThat(LabTopics.committedOffsets(lab, second, topic)).as("the second group's commits: the log end")
                .isEqualTo(LabTopics.endOffsets(lab, topic));
        assertThat(LabTopics.committedOffsets(lab, first, topic)).as("the first group's commits are its own, untouched")
                .isEqualTo(firstsOffsets);
    }

    /** Joins the consumer's group for {@code topic} and polls until {@code count} values came (30 s at most); returns them. */
    private static List<String> subscribeAndRead(KafkaConsumer<String, String> consumer, String topic, int count) {
        List<String> read = new ArrayList<>();
        consumer.subscribe(List.of(topic));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (read.size() < count && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                read.add(r.value());
            }
        }
        return read;
    }
}
