import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault test: the broker is stopped and started again (same ports, same data) while lesson 04's generator sends with
 * its preferred settings (acks=all, idempotence): no event is lost and none is duplicated in the topic. The producer
 * keeps unacknowledged batches and retries them for delivery.timeout.ms (30 s, longer than the restart); idempotence
 * makes the broker drop a retried batch it had already written. The test runs its own broker, not the shared lab's.
 */
class FaultBrokerRestartTest {
    private static final double RATE = 2_000;
    private static final Duration RUN = Duration.ofSeconds(16);

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void aBrokerRestartDuringTheGeneratorLosesNothingAndDuplicatesNothing(@TempDir Path dataDir) throws Exception {
        Assumptions.assumeFalse("exercises".equals(System.getProperty("course.code")), "fault tests run against the solutions");
        // EmbeddedKafka.start traps Kafka's halt/exit procedures: a broker error must not end the test JVM
        int port = freePort();
        int controllerPort = freePort();
        EmbeddedKafka broker = EmbeddedKafka.start(dataDir, port, controllerPort);
        try {
            LabConfig lab = LabConfig.localDefaults().withKafka(broker.bootstrapServers(), "fault test broker");
            LabKafka.awaitReady(lab, Duration.ofSeconds(30));
            String topic = "music_events_restart";
            LabKafka.ensureTopic(lab, topic, 3);
            long start = Instant.parse("2026-11-24T08:00:00Z").toEpochMilli();
            List<String> progress = java.util.Collections.synchronizedList(new ArrayList<>());
            CompletableFuture<ClickstreamProducer.Result> generator = CompletableFuture.supplyAsync(() -> ClickstreamProducer.run(lab, PreferredSettings.preferred(),
                    new ClickstreamSender(), new ClickstreamProducer.Options(topic, 0, RUN, RATE, false), new Clickstream(21, 300, 100, start), progress::add));

            Thread.sleep(4_000);
            long t0 = System.nanoTime();
            broker.close();
            System.out.printf("[fault] broker stopped after %d progress lines%n", progress.size());
            Thread.sleep(2_000); // down for a while: the generator keeps generating, the producer keeps retrying
            broker = EmbeddedKafka.start(dataDir, port, controllerPort);
            LabKafka.awaitReady(lab, Duration.ofSeconds(30));
            double downSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("[fault] broker back after %.1f s%n", downSeconds);

            ClickstreamProducer.Result result = generator.get(90, TimeUnit.SECONDS);
            System.out.printf("[fault] generator: %s%n", result);
            assertThat(result.failed()).as("failed sends").isZero();
            assertThat(result.acknowledged()).as("acknowledged = sent").isEqualTo(result.sent());
            assertThat(result.sent()).as("events sent in %s at %.0f/s, across the restart", RUN, RATE).isGreaterThan((long) (RATE * 8));

            // the very events the generator sent: the same seed and simulated clock give the same sequence
            Clickstream again = new Clickstream(21, 300, 100, start);
            Map<String, Integer> expected = new HashMap<>();
            for (long i = 0; i < result.sent(); i++) {
                expected.merge(again.next().toJson(), 1, Integer::sum);
            }
            List<ConsumerRecord<String, String>> records = LabTopics.readAll(lab, topic, Duration.ofSeconds(30));
            Map<String, Integer> inTopic = new HashMap<>();
            records.forEach(r -> inTopic.merge(r.value(), 1, Integer::sum));
            assertThat(records).as("records in the topic after a %.1f s broker restart", downSeconds).hasSize((int) result.sent());
            assertThat(inTopic).as("each sent event exactly once in the topic (no loss, no duplicate)").isEqualTo(expected);
        } finally {
            broker.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
