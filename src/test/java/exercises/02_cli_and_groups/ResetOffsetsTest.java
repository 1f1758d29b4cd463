import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Exercise 02.5: after a reset, the group's committed offsets (at the broker) and what it reads next are what the
 * test expects from its own messages: 30 of them, one a second from an hour ago, over 3 partitions.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResetOffsetsTest {
    private static final Duration IDLE = Duration.ofSeconds(1);

    /** A topic of 30 messages whose timestamps are t0, t0 + 1 s, ... and a group that has read them all. */
    record Fixture(String topic, String group, Instant t0, List<TestTopics.Written> written) {}

    @Test
    @Order(1)
    void toEarliestMakesTheGroupReadEverythingAgain() throws Exception {
        Fixture f = readByAGroup();
        try (Admin admin = LabKafka.admin(TestLab.config())) {
            Map<Integer, Long> reset = ResetOffsets.toEarliest(admin, f.group(), f.topic());
            assertThat(reset).as("the new offsets: the first of each partition").isEqualTo(Map.of(0, 0L, 1, 0L, 2, 0L));
        }
        assertThat(LabTopics.committedOffsets(TestLab.config(), f.group(), f.topic())).as("the group's committed offsets at the broker")
                .isEqualTo(Map.of(0, 0L, 1, 0L, 2, 0L));
        assertThat(TestTopics.readAsGroup(TestLab.config(), f.topic(), f.group(), IDLE)).as("what the group reads next: everything")
                .containsExactlyInAnyOrderElementsOf(TestTopics.values(f.written()));
    }

    @Test
    @Order(2)
    void toATimeStartsEachPartitionAtItsFirstMessageAtOrAfterThatTime() throws Exception {
        Fixture f = readByAGroup();
        Instant time = f.t0().plusMillis(14_500); // between the 15th message (t0 + 14 s) and the 16th (t0 + 15 s)
        Map<Integer, Long> expected = new TreeMap<>(LabTopics.endOffsets(TestLab.config(), f.topic()));
        f.written().stream().filter(w -> w.timestamp() >= time.toEpochMilli())
                .forEach(w -> expected.merge(w.partition(), w.offset(), Math::min));
        try (Admin admin = LabKafka.admin(TestLab.config())) {
            assertThat(ResetOffsets.toTime(admin, f.group(), f.topic(), time))
                    .as("the new offsets: per partition, the first message written at or after %s", time).isEqualTo(expected);
        }
        assertThat(LabTopics.committedOffsets(TestLab.config(), f.group(), f.topic())).as("the group's committed offsets at the broker")
                .isEqualTo(expected);
        assertThat(TestTopics.readAsGroup(TestLab.config(), f.topic(), f.group(), IDLE))
                .as("what the group reads next: the 15 messages stamped at or after %s", time)
                .containsExactlyInAnyOrderElementsOf(TestTopics.values(f.written().subList(15, 30)));
    }

    @Test
    @Order(3)
    void aTimeAfterTheLastMessageMovesTheGroupToTheLogEnd() throws Exception {
        Fixture f = readByAGroup();
        Map<Integer, Long> end = LabTopics.endOffsets(TestLab.config(), f.topic());
        try (Admin admin = LabKafka.admin(TestLab.config())) {
            assertThat(ResetOffsets.toTime(admin, f.group(), f.topic(), f.t0().plus(10, ChronoUnit.MINUTES)))
                    .as("no message at or after that time: every partition goes on at its log end").isEqualTo(end);
        }
        assertThat(TestTopics.readAsGroup(TestLab.config(), f.topic(), f.group(), IDLE)).as("what the group reads next: nothing")
                .isEmpty();
    }

    private static Fixture readByAGroup() throws Exception {
        LabConfig lab = TestLab.config();
        String topic = TestLab.unique("reset-offsets");
        LabKafka.ensureTopic(lab, topic, 3);
        Instant t0 = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        List<TestTopics.Written> written = TestTopics.produce(lab, topic, "m", 30, i -> t0.toEpochMilli() + i * 1000L);
        String group = TestLab.unique("group");
        assertThat(TestTopics.readAsGroup(lab, topic, group, IDLE)).as("the group's first read: everything").hasSize(30);
        assertThat(LabTopics.committedOffsets(lab, group, topic)).as("committed before the reset: the log end")
                .isEqualTo(LabTopics.endOffsets(lab, topic));
        return new Fixture(topic, group, t0, written);
    }
}
