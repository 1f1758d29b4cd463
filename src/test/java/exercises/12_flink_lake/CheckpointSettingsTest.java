import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Exercise 12.1: with the learner's checkpoint settings, Flink's lake survives a hard kill. The job (in a JVM of its
 * own) reads a topic of valid events with every kind of hostile message among them, is killed with SIGKILL after it
 * has checkpointed at least once, and is restarted from its last checkpoint until it has caught up: every valid
 * offset is then in the lake exactly once, every invalid one in the dead-letter topic, and (when ClickHouse is
 * there) s3() over the lake counts the topic's valid events.
 */
class CheckpointSettingsTest {
    private static final int VALID_EVENTS = 6_000;

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void theLakeSurvivesAKillWithEveryOffsetExactlyOnce() throws Exception {
        String bucket = TestLab.unique("flink12");
        String checkpoints = "s3://" + bucket + "/_checkpoints";
        Map<String, String> settings = CheckpointSettings.exactlyOnce(Duration.ofSeconds(1), checkpoints);
        LabConfig lab = TestLab.config();

        String topic = TestLab.unique("music_events_flink");
        String group = TestLab.unique("flink12");
        List<HostileCorpus.Placed> placed = HostileCorpus.writeMixed(lab, topic, VALID_EVENTS, 12);
        Set<String> valid = new java.util.TreeSet<>(FlinkJobProcess.positions(placed, true));
        Set<String> invalid = FlinkJobProcess.positions(placed, false);
        List<String> args = FlinkJobProcess.args(topic, group, bucket, 2, settings);

        // run 1: events keep arriving while it runs; killed hard once two checkpoints are complete
        FlinkJobProcess.Job first = FlinkJobProcess.start(lab, args);
        assertThat(first.running().await(180, TimeUnit.SECONDS)).as("the job runs; it said:%n%s", first.said()).isTrue();
        Set<String> more;
        List<String> before;
        try (FlinkJobProcess.Trickle trickle = FlinkJobProcess.Trickle.start(lab, topic, 300, 13)) {
            // Flink keeps only the latest checkpoint (chk-N replaces chk-N-1): wait for number 2 of this job
            String jobId = first.jobId();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (FlinkJobProcess.checkpoints(lab, bucket, "_checkpoints/").stream()
                    .noneMatch(c -> c.startsWith(jobId + "/chk-") && Long.parseLong(c.substring(c.lastIndexOf('-') + 1)) >= 2)
                    && first.process().isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            before = FlinkJobProcess.checkpoints(lab, bucket, "_checkpoints/");
            first.kill();
            more = trickle.stopAndGetPositions();
        }
        valid.addAll(more);
        assertThat(before).as("checkpoints in %s before the kill (none means: no interval, or no directory that outlives the JVM)",
                checkpoints).isNotEmpty();
        Map<String, Integer> afterKill = FlinkJobProcess.timesInLake(FlinkJobProcess.lake(lab, bucket, topic));
        System.out.printf("[12.1] killed after %s, %,d events sent meanwhile: %,d rows visible in the lake%n", before, more.size(),
                afterKill.size());
        assertThat(more).as("events sent while the first run ran (it was killed mid-run, with records still coming)").isNotEmpty();
        assertThat(afterKill.values()).as("no offset twice in the lake, even right after a kill").allMatch(n -> n == 1);

        // run 2: restarted from the last checkpoint, until it has caught up
        String latest = FlinkJobProcess.checkpoints(lab, bucket, "_checkpoints/").stream().reduce((a, b) -> b).orElseThrow();
        List<String> restart = new java.util.ArrayList<>(args);
        restart.addAll(List.of("--restore", checkpoints + "/" + latest));
        FlinkJobProcess.runToEnd(lab, restart, Duration.ofSeconds(300));

        Map<String, Integer> times = FlinkJobProcess.timesInLake(FlinkJobProcess.lake(lab, bucket, topic));
        assertThat(times.entrySet()).as("offsets in the lake more than once").filteredOn(e -> e.getValue() > 1).isEmpty();
        assertThat(times.keySet()).as("the lake holds exactly the topic's valid offsets (%,d)", valid.size())
                .containsExactlyInAnyOrderElementsOf(valid);
        assertThat(LabTopics.committedOffsets(lab, group, topic)).as("the group's committed offsets reached the end")
                .isEqualTo(LabTopics.endOffsets(lab, topic));
        Set<String> dead = new java.util.TreeSet<>();
        LabTopics.readAll(lab, topic + "_dlq", Duration.ofSeconds(30)).forEach(r -> dead.add(
                header(r, "dlq.source.partition") + "@" + header(r, "dlq.source.offset")));
        assertThat(dead).as("every invalid message is a dead letter (at least once)").containsExactlyInAnyOrderElementsOf(invalid);

        if (TestClickHouse.available()) {
            ClickHouse ch = TestClickHouse.get().clickhouse();
            String url = ClickHouse.s3EndpointFor(ch, lab) + "/" + bucket + "/" + topic + "/**/*.parquet";
            long count = ch.count("SELECT count() FROM s3('" + url + "', '" + lab.s3AccessKey() + "', '" + lab.s3SecretKey() + "', 'Parquet')");
            assertThat(count).as("ClickHouse's s3() over the lake = the topic's valid events").isEqualTo(valid.size());
        }
    }

    private static String header(org.apache.kafka.clients.consumer.ConsumerRecord<String, String> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
