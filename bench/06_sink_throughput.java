///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES ../lab/LabConfig.java ../lab/kafka/LabKafka.java
//COMPILE_OPTIONS -encoding UTF-8
//SOURCES ../lab/lake/ParquetSink.java
//SOURCES ../solutions/06_s3_sink/1_flush_trigger/FlushTrigger.java ../solutions/06_s3_sink/2_hive_path/HivePath.java ../solutions/06_s3_sink/3_object_name/ObjectName.java ../solutions/06_s3_sink/4_flush_order/FlushOrder.java ../solutions/06_s3_sink/5_dead_letter/DeadLetter.java
//SOURCES SinkMeasure.java
//MAIN SinkBenchmark
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=error

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;

/**
 * How fast does the lesson 06 sink drain a pre-filled topic, and how much heap does it use? Not a test: a
 * measurement, printed as a table (docs/benchmarks.md has the figures and the machine).
 *
 *   ./jbang -R-Xmx128m bench/06_sink_throughput.java [--events 200000] [--partitions 1,3] [--batch 10000]
 *
 * bench/Benchmarks.java runs it in two steps, in JVMs of their own: {@code --fill <topic> --partitions N --events E}
 * (creates and fills the topic), then {@code --drain <topic> --partitions N --batch B} (one sink drains it and one
 * RESULT line is printed: see SinkMeasure.Result).
 *
 * For each partition count: a new topic is filled with --events events (not timed), then one sink instance
 * drains it. Sustained records/s = records committed between the first commit and the last one made while records were
 * still being read / the time between them (not the final flush of the batches left open, which waits for the idle stop)
 * (steady state, without the group join and the final idle wait); "overall" counts from the start of run().
 */
class SinkBenchmark {
    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opt.put(args[i], args[i + 1]);
        }
        int events = Integer.parseInt(opt.getOrDefault("--events", "200000"));
        int batch = Integer.parseInt(opt.getOrDefault("--batch", "10000"));
        List<Integer> partitionCounts = new ArrayList<>();
        for (String p : opt.getOrDefault("--partitions", "1,3").split(",")) {
            partitionCounts.add(Integer.parseInt(p.trim()));
        }
        LabConfig lab = LabConfig.fromEnvironment();
        LabKafka.probe(lab, Duration.ofSeconds(5));
        if (opt.containsKey("--fill")) {
            LabKafka.ensureTopic(lab, opt.get("--fill"), partitionCounts.get(0));
            SinkMeasure.fill(lab, opt.get("--fill"), events);
            return;
        }
        if (opt.containsKey("--drain")) {
            System.out.println(SinkMeasure.drain(lab, opt.get("--drain"), partitionCounts.get(0), batch).line());
            return;
        }
        System.out.printf("sink benchmark: %,d events per run, BATCH_SIZE %,d, max heap %,d MB, %d cores%n", events, batch,
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
        List<String> rows = new ArrayList<>();
        for (int partitions : partitionCounts) {
            String topic = "bench06_" + partitions + "p_" + System.currentTimeMillis();
            LabKafka.ensureTopic(lab, topic, partitions);
            SinkMeasure.fill(lab, topic, events);
            SinkMeasure.Result r = SinkMeasure.drain(lab, topic, partitions, batch);
            rows.add(String.format("| %d | %,d | %,d | %,.0f | %,.0f | %,d | %,d | %,d | %.1f |", partitions, r.records(), r.files(), r.sustained(),
                    r.overall(), r.peakHeapMb(), r.peakLiveMb(), r.peakRssMb(), r.cpuMicrosPerRecord()));
        }
        System.out.println();
        System.out.println("| partitions | records | files | sustained records/s | overall records/s | peak heap used (MB) | peak heap after a GC (MB) | peak RSS (MB) | CPU per record (us) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }
}
