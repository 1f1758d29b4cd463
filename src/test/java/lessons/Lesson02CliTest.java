import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lesson 02's command-line part: Kafka's real {@code kafka-consumer-groups --describe} (the distribution's class, run
 * as a child JVM) shows a group's committed offsets, log-end offsets and lag as the broker has them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class Lesson02CliTest {

    @Test
    void kafkaConsumerGroupsDescribeShowsLagZeroAfterARunAndTheUnreadMessagesAfterMoreAreWritten() throws Exception {
        LabConfig lab = TestLab.config();
        String topic = TestLab.unique("lesson02-cli");
        LabKafka.ensureTopic(lab, topic, 3);
        String group = TestLab.unique("group");
        TestTopics.produce(lab, topic, "m", 25);
        assertThat(TestTopics.readAsGroup(lab, topic, group, Duration.ofSeconds(1))).as("the group's run").hasSize(25);

        List<Map<String, String>> rows = describe(lab, group, topic);
        assertThat(rows).as("kafka-consumer-groups --describe: one row per partition of the topic").hasSize(3);
        Map<Integer, Long> committed = LabTopics.committedOffsets(lab, group, topic);
        for (Map<String, String> row : rows) {
            int partition = Integer.parseInt(row.get("PARTITION"));
            assertThat(row.get("CURRENT-OFFSET")).as("CURRENT-OFFSET of partition %d: the group's commit, as the Admin client has it", partition)
                    .isEqualTo(String.valueOf(committed.get(partition)));
            assertThat(row.get("CURRENT-OFFSET")).as("CURRENT-OFFSET (committed) = LOG-END-OFFSET, partition %d", partition)
                    .isEqualTo(row.get("LOG-END-OFFSET"));
            assertThat(row.get("LAG")).as("LAG of partition %d after the run", partition).isEqualTo("0");
        }
        assertThat(rows.stream().mapToLong(r -> Long.parseLong(r.get("LOG-END-OFFSET"))).sum())
                .as("LOG-END-OFFSETs add up to the messages written").isEqualTo(25);

        TestTopics.produce(lab, topic, "later", 4);
        assertThat(describe(lab, group, topic).stream().mapToLong(r -> Long.parseLong(r.get("LAG"))).sum())
                .as("LAG = LOG-END-OFFSET - CURRENT-OFFSET: the 4 messages written since, unread by the group").isEqualTo(4);
    }

    /** Runs Kafka's real kafka-consumer-groups --describe and returns the rows of its table for {@code topic}. */
    private static List<Map<String, String>> describe(LabConfig lab, String group, String topic) {
        KafkaTools.Result result = KafkaTools.run(lab, KafkaTools.Tool.CONSUMER_GROUPS, Duration.ofSeconds(40),
                "--describe", "--group", group);
        assertThat(result.exitCode()).as("exit code of kafka-consumer-groups --describe; it printed:%n%s%n%s", result.out(), result.err())
                .isZero();
        List<Map<String, String>> rows = KafkaTools.table(result.out()).stream()
                .filter(r -> topic.equals(r.get("TOPIC"))).toList();
        assertThat(rows).as("rows of the printed table for %s:%n%s", topic, result.out()).isNotEmpty()
                .allSatisfy(r -> assertThat(r).containsKeys("PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG"));
        return rows;
    }
}
