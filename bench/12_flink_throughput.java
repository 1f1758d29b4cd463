///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS org.apache.kafka:kafka-tools:4.1.1
//SOURCES ../lab/engine/FlinkLake.java ../lab/LabConfig.java ../lab/kafka/LabKafka.java
//COMPILE_OPTIONS -encoding UTF-8
//SOURCES ../solutions/12_flink_lake/1_checkpoint_settings/CheckpointSettings.java ../lab/lake/ParquetSink.java
//SOURCES ../solutions/06_s3_sink/1_flush_trigger/FlushTrigger.java ../solutions/06_s3_sink/2_hive_path/HivePath.java ../solutions/06_s3_sink/3_object_name/ObjectName.java ../solutions/06_s3_sink/4_flush_order/FlushOrder.java ../solutions/06_s3_sink/5_dead_letter/DeadLetter.java
//SOURCES SinkMeasure.java
//MAIN FlinkBenchmark
//JAVA_OPTIONS -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.flink=error -Dorg.slf4j.simpleLogger.log.org.apache.kafka=error

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.tools.ConsumerPerformance;

/**
 * Lesson 12's engine against lesson 06's sink and Kafka's own ConsumerPerformance, on the same pre-filled topics of
 * 1 and 3 partitions. Not a test: a measurement, printed as a table (docs/benchmarks.md has the figures). Runs against
 * the lab the environment names (./jbang lab up), in a script of its own so Flink stays off every other classpath.
 *
 *   ./jbang bench/12_flink_throughput.java [--events 100000] [--partitions 1,3] [--interval 1]
 *
 * Flink: the job in this JVM (parallelism = partitions, a checkpoint every --interval seconds); records/s = events /
 * (time from submitting the job until a checkpoint has committed the topic's end offsets), so it includes the job's
 * start and up to one checkpoint interval of waiting, and once more from the moment the job was RUNNING.
 * Lesson 06's sink: one instance, BATCH_SIZE 10,000, sustained rate (first to last commit). ConsumerPerformance:
 * fetch rate, the ceiling.
 */
class FlinkBenchmark {
    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opt.put(args[i], args[i + 1]);
        }
        int events = Integer.parseInt(opt.getOrDefault("--events", "100000"));
        Duration interval = Duration.ofSeconds(Long.parseLong(opt.getOrDefault("--interval", "1")));
        LabConfig lab = LabConfig.fromEnvironment();
        LabKafka.probe(lab, Duration.ofSeconds(5));
        System.out.printf("Flink benchmark: %,d events per topic, checkpoint every %d s, %d cores, Java %s, load average %.1f%n", events,
                interval.toSeconds(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        List<String> rows = new ArrayList<>();
        long runId = System.currentTimeMillis() / 1000;
        for (String p : opt.getOrDefault("--partitions", "1,3").split(",")) {
            int partitions = Integer.parseInt(p.trim());
            String topic = "bench12_" + partitions + "p_" + runId;
            LabKafka.ensureTopic(lab, topic, partitions);
            SinkMeasure.fill(lab, topic, events);

            double ceiling = consumerPerformance(lab, topic, events);
            rows.add(String.format("| %d | Kafka ConsumerPerformance (ceiling) | %,.0f | 1.00 | fetch rate |", partitions, ceiling));

            SinkMeasure.Result sink = SinkMeasure.drain(lab, topic, partitions, 10_000);
            rows.add(String.format("| %d | lesson 06 sink, 1 instance, BATCH_SIZE 10,000 | %,.0f | %.2f | %,d files |", partitions,
                    sink.sustained(), sink.sustained() / ceiling, sink.files()));

            FlinkLake.Job job = new FlinkLake.Job(topic, "bench12-" + topic, lab.bucket() + "-flink", partitions,
                    CheckpointSettings.exactlyOnce(interval, "s3://" + lab.bucket() + "-flink/_checkpoints"));
            FlinkLake.reset(lab, job);
            long submitted = System.nanoTime();
            long running;
            long caughtUp;
            try (FlinkLake.Running r = FlinkLake.start(lab, job, null)) {
                r.awaitRunning(Duration.ofMinutes(2));
                running = System.nanoTime();
                r.awaitCaughtUp(Duration.ofMinutes(10), line -> { });
                caughtUp = System.nanoTime();
                r.stop();
            }
            double fromSubmit = events / ((caughtUp - submitted) / 1e9);
            double fromRunning = events / ((caughtUp - running) / 1e9);
            System.out.printf("Flink %dp: RUNNING %,d ms after submitting, caught up %,d ms later%n", partitions,
                    (running - submitted) / 1_000_000, (caughtUp - running) / 1_000_000);
            rows.add(String.format("| %d | Flink job, parallelism %d, checkpoint every %d s | %,.0f | %.2f | from submit; %,.0f/s from RUNNING (%,d ms to RUNNING) |",
                    partitions, partitions, interval.toSeconds(), fromSubmit, fromSubmit / ceiling, fromRunning, (running - submitted) / 1_000_000));
        }
        System.out.println();
        System.out.println("| partitions | what | records/s | ratio | note |");
        System.out.println("|---|---|---:|---:|---|");
        rows.forEach(System.out::println);
        System.exit(0);
    }

    /** Kafka's ConsumerPerformance on the topic: its fetch rate (records/s without the group join). */
    static double consumerPerformance(LabConfig lab, String topic, int events) {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            ConsumerPerformance.main(new String[] {"--bootstrap-server", lab.kafkaBootstrap(), "--topic", topic, "--messages",
                    Integer.toString(events), "--group", topic + "-perf", "--timeout", "60000"});
        } finally {
            System.setOut(out);
        }
        // header "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms,
        // fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec", then one line of values
        String[] lines = captured.toString(StandardCharsets.UTF_8).strip().split("\\R");
        String[] values = lines[lines.length - 1].split(",\\s*");
        if (values.length < 10) {
            throw new IllegalStateException("ConsumerPerformance printed no result line:\n" + String.join("\n", lines));
        }
        return Double.parseDouble(values[9]);
    }
}
