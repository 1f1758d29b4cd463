import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Exercise 07.1: the learner's reconciliation finds the runs of offsets missing below the committed one (dead letters
 * and offsets before the log start excepted) and the runs held more than once (above the commit too), and, in the data
 * check against a real topic, does not count as missing what retention deleted before the sink saw it.
 */
class ReconcileTest {

    @Test
    void gapsAreRunsOfOffsetsBelowTheCommitThatAreNeitherInTheLakeNorDeadLetters() {
        LakeCheck.Index lake = new LakeCheck.Index();
        for (long o = 0; o < 12; o++) {
            if (o != 3 && o != 7 && o != 8) {
                lake.add(0, o);
            }
        }
        lake.add(1, 0);

        LakeCheck.Reconciliation r = new Reconcile().reconcile(
                Map.of(0, new LakeCheck.Span(0, 10), 1, new LakeCheck.Span(0, 3)), Map.of(0, Set.of(3L)), lake);

        assertThat(r.gaps()).as("partition 0: 7 and 8 missing (3 is a dead letter, 10 and 11 are above the commit); partition 1: 1 and 2")
                .containsExactly(new LakeCheck.Gap(0, 7, 9), new LakeCheck.Gap(1, 1, 3));
        assertThat(r.duplicates()).as("duplicates").isEmpty();
    }

    @Test
    void offsetsBeforeTheLogStartAreNoGap() {
        LakeCheck.Index lake = new LakeCheck.Index();
        for (long o = 500; o < 1_000; o++) {
            lake.add(2, o);
        }
        LakeCheck.Reconciliation r = new Reconcile().reconcile(Map.of(2, new LakeCheck.Span(500, 1_000)), Map.of(), lake);
        assertThat(r.gaps()).as("gaps when retention deleted offsets 0..499 before the sink saw them").isEmpty();

        LakeCheck.Reconciliation later = new Reconcile().reconcile(Map.of(2, new LakeCheck.Span(400, 1_000)), Map.of(), lake);
        assertThat(later.gaps()).as("gaps when Kafka still has offsets 400..499").containsExactly(new LakeCheck.Gap(2, 400, 500));
    }

    @Test
    void duplicatesAreRunsOfOffsetsHeldMoreThanOnceAnywhereInTheLake() {
        LakeCheck.Index lake = new LakeCheck.Index();
        for (long o = 0; o < 20; o++) {
            lake.add(0, o);
        }
        lake.add(0, 5);
        lake.add(0, 6);
        lake.add(0, 6); // three times
        lake.add(0, 9);
        lake.add(0, 19); // the last offset, above the commit

        LakeCheck.Reconciliation r = new Reconcile().reconcile(Map.of(0, new LakeCheck.Span(0, 15)), Map.of(), lake);

        assertThat(r.duplicates()).as("runs of offsets held more than once")
                .containsExactly(new LakeCheck.Duplicate(0, 5, 7), new LakeCheck.Duplicate(0, 9, 10), new LakeCheck.Duplicate(0, 19, 20));
        assertThat(r.gaps()).as("gaps").isEmpty();
        assertThat(r.ok()).as("reconciled").isFalse();
    }

    @Test
    void theDataCheckWithYourReconciliationTrustsTheLogStartAfterRetention() throws Exception {
        LakeCheck.Index probe = new LakeCheck.Index();
        new Reconcile().reconcile(Map.of(0, new LakeCheck.Span(0, 1)), Map.of(), probe); // your code first
        LabConfig lab = TestLake.bucket("reconcile07");
        String topic = TestLab.unique("retention07");
        String group = TestLab.unique("retention07");
        LabKafka.ensureTopic(lab, topic, 1);
        Clickstream stream = new Clickstream(71, 200, 100, Instant.parse("2026-11-24T10:00:00Z").toEpochMilli());
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            values.add(stream.next().toBytes());
        }
        TestTopics.produceRaw(lab, topic, values);
        try (Admin admin = LabKafka.admin(lab)) { // retention: the first 100 offsets are gone before the sink ran
            admin.deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(100))).all().get(10, TimeUnit.SECONDS);
        }
        TestLake.store(lab, topic, TestLake.readRaw(lab, topic), 50);
        TestLake.commit(lab, group, topic, Map.of(0, 300L));

        LakeCheck.Report report = LakeCheck.check(lab, topic, group, new Reconcile(), new SchemaDrift());

        assertThat(report.kafka()).as("what Kafka says").isEqualTo(Map.of(0, new LakeCheck.Span(100, 300)));
        assertThat(report.reconciliation().gaps()).as("gaps").isEmpty();
        assertThat(report.totalRows()).as("rows").isEqualTo(200);
    }
}
