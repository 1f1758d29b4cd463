import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Exercise 03.3: handed to lab/kafka/GroupWorker, the commit rules let a member leave mid-batch with nothing lost and
 * nothing processed twice by the group. (Lesson03GroupsTest shows this check failing for three wrong rules.)
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CommitOnRevokeTest {

    @Test
    void whenAMemberLeavesMidBatchTheOtherTakesOverWithNothingLostAndNothingProcessedTwice() throws Exception {
        TestGroupWorkers.Handover h = TestGroupWorkers.handover(new CommitOnRevoke());

        assertThat(h.failureOfA()).as("A left cleanly").isNull();
        assertThat(h.processedByA()).as("records A processed before leaving").isEqualTo(10);
        assertThat(h.twice()).as("records processed twice within the group (A's processed but uncommitted work, redone by B)").isEmpty();
        assertThat(h.neverProcessed()).as("records never processed (partition@offset): lost in the handover").isEmpty();
        assertThat(h.timesProcessed().keySet()).as("processed records are the topic's records").isEqualTo(h.allPositions());
        assertThat(h.seen().stream().filter(s -> s.worker().equals("B") && h.partitionsOfA().contains(s.partition())).count())
                .as("records B processed of the partitions A had (%s): B took over A's unfinished work", h.partitionsOfA()).isPositive();
        assertThat(h.committed()).as("the group's committed offsets after B left: the log end").isEqualTo(h.end());
    }
}
