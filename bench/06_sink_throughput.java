///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES ../lab/LabConfig.java ../lab/LabException.java ../lab/LabKafka.java ../lab/LabS3.java ../lab/Todo.java
//SOURCES ../lab/EventType.java ../lab/MusicEvent.java ../lab/MalformedEventException.java ../lab/Clickstream.java
//SOURCES ../lab/EventParquet.java ../lab/Lake.java
//SOURCES ../solutions/06_s3_sink/ParquetSink.java
//MAIN SinkBenchmark
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=error

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * How fast does the lesson 06 sink drain a pre-filled topic, and how much heap does it use? Not a test: a
 * measurement, printed as a table (docs/benchmarks.md has the figures and the machine).
 *
 *   ./jbang -R-Xmx256m bench/06_sink_throughput.java [--events 200000] [--partitions 1,3] [--batch 10000]
 *
 * For each partition count: a new topic is filled with --events events (not timed), then one sink instance
 * drains it. Sustained records/s = records between the first and the last commit / the time between them
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
        System.out.printf("sink benchmark: %,d events per run, BATCH_SIZE %,d, max heap %,d MB, %d cores%n", events, batch,
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
        List<String> rows = new ArrayList<>();
        for (int partitions : partitionCounts) {
            String topic = "bench06_" + partitions + "p_" + System.currentTimeMillis();
            LabKafka.ensureTopic(lab, topic, partitions);
            fill(lab, topic, events);

            AtomicLong firstCommitNanos = new AtomicLong();
            AtomicLong lastCommitNanos = new AtomicLong();
            AtomicLong recordsAtFirstCommit = new AtomicLong();
            ParquetSink[] sink = new ParquetSink[1];
            sink[0] = new ParquetSink(lab, ParquetSink.Options.defaults(topic, topic + "-sink").batchSize(batch)
                    .flushInterval(Duration.ofSeconds(30)).stopWhenIdle(Duration.ofSeconds(3)).progressEvery(Duration.ofMinutes(10))
                    .log(line -> { }).hooks(new ParquetSink.Hooks() {
                        @Override
                        public void beforeCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
                            long now = System.nanoTime();
                            if (firstCommitNanos.compareAndSet(0, now)) {
                                recordsAtFirstCommit.set(sink[0].stats().records.get());
                            }
                            lastCommitNanos.set(now);
                        }
                    }));
            HeapWatch heap = new HeapWatch();
            heap.start();
            long start = System.nanoTime();
            ParquetSink.Stats stats = sink[0].run();
            heap.interrupt();
            heap.join();
            long records = stats.records.get();
            double overall = records / ((lastCommitNanos.get() - start) / 1e9);
            double steadySeconds = (lastCommitNanos.get() - firstCommitNanos.get()) / 1e9;
            double sustained = steadySeconds > 0 ? (records - recordsAtFirstCommit.get()) / steadySeconds : Double.NaN;
            rows.add(String.format("| %d | %,d | %,d | %,.0f | %,.0f | %,d | %,d |", partitions, records, stats.files.get(), sustained, overall,
                    heap.peakUsedMb, heap.afterGcMb()));
        }
        System.out.println();
        System.out.println("| partitions | records | files | sustained records/s | overall records/s | peak heap used (MB) | heap after GC (MB) |");
        System.out.println("|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    /** Fills the topic as fast as the producer goes (not timed). */
    static void fill(LabConfig lab, String topic, int events) {
        Properties props = lab.kafkaProperties();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        Clickstream stream = new Clickstream(6);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < events; i++) {
                MusicEvent e = stream.next();
                producer.send(new ProducerRecord<>(topic, e.userId(), e.toBytes()));
            }
            producer.flush();
        }
    }

    /** Samples the used heap every 50 ms; the peak includes garbage not yet collected. */
    static final class HeapWatch extends Thread {
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        volatile long peakUsedMb;

        HeapWatch() {
            setDaemon(true);
        }

        @Override
        public void run() {
            while (!isInterrupted()) {
                peakUsedMb = Math.max(peakUsedMb, memory.getHeapMemoryUsage().getUsed() >> 20);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long afterGcMb() {
            System.gc();
            return memory.getHeapMemoryUsage().getUsed() >> 20;
        }
    }
}
