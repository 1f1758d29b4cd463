//SOURCES ProcessCpu.java ../lab/events/Clickstream.java ../lab/LabConfig.java ../lab/events/MusicEvent.java
//COMPILE_OPTIONS -encoding UTF-8
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * The sink measurement the benchmarks share (bench/06_sink_throughput.java and bench/Benchmarks.java): fill a topic,
 * let one lesson 06 sink drain it, time it and watch its heap and RSS. Not a JBang script of its own: pulled in with
 * {@code //SOURCES}. {@link #main} runs one measurement in a JVM of its own (endpoints from the environment, like every
 * lesson), so heap and RSS are the sink's alone, and prints one {@code RESULT} line for the caller to parse.
 */
final class SinkMeasure {
    private SinkMeasure() {}

    /**
     * One drain. Sustained = records between the first and the last commit / the time between them (steady state,
     * without the group join and the final idle wait); overall counts from the start of run() to the last commit.
     */
    record Result(int partitions, int batchSize, long records, long files, double sustained, double overall,
                  long peakHeapMb, long peakLiveMb, long peakRssMb, double cpuMicrosPerRecord) {
        String line() {
            return String.format(java.util.Locale.ROOT, "RESULT %d %d %d %d %.1f %.1f %d %d %d %.2f", partitions, batchSize, records, files,
                    sustained, overall, peakHeapMb, peakLiveMb, peakRssMb, cpuMicrosPerRecord);
        }

        static Result parse(String line) {
            String[] f = line.trim().split(" ");
            return new Result(Integer.parseInt(f[1]), Integer.parseInt(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
                    Double.parseDouble(f[5]), Double.parseDouble(f[6]), Long.parseLong(f[7]), Long.parseLong(f[8]), Long.parseLong(f[9]),
                    Double.parseDouble(f[10]));
        }
    }

    /** {@code SinkMeasure <topic> <partitions> <batchSize>} on a classpath of its own: drains a filled topic, prints a RESULT line. */
    public static void main(String[] args) {
        LabConfig lab = LabConfig.fromEnvironment();
        Result r = drain(lab, args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        System.out.println(r.line());
    }

    /**
     * Runs one sink on {@code topic} (a new group) until it is idle for 3 s. The rates count committed records (what
     * is durable), not records read: the sink reads ahead of what it has stored.
     */
    static Result drain(LabConfig lab, String topic, int partitions, int batch) {
        // warm-up drains first, not measured (other groups, the same records, the same options and hooks): the JIT
        // compiles the sink's code in a fresh JVM for seconds of CPU, which a sink that runs for days pays once.
        // ConsumerPerformance runs warm in the benchmark's own JVM; the producer benchmark has its warm-up round too.
        int warmups = Integer.getInteger("sink.warmups", 2);
        for (int w = 0; w < warmups; w++) {
            options(topic, topic + "-warmup" + w + "-" + batch + "-" + System.nanoTime(), batch, new Timing()).run(lab);
        }
        System.gc();
        System.out.println("MEASURING");
        Timing timing = new Timing();
        ParquetSinkEngine sink = options(topic, topic + "-sink-" + batch, batch, timing).engine(lab);
        HeapWatch heap = new HeapWatch();
        heap.start();
        long cpuStart = ProcessCpu.nanos();
        long mainCpuStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long start = System.nanoTime();
        ParquetSinkEngine.Stats stats = sink.run();
        heap.interrupt();
        try {
            heap.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long records = stats.records.get();
        double overall = timing.overall(start);
        double sustained = timing.sustained();
        double cpuPerRecord = records == 0 ? Double.NaN : (ProcessCpu.nanos() - cpuStart) / 1e3 / records;
        System.out.println(threadCpu(records, ProcessCpu.nanos() - cpuStart, ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - mainCpuStart));
        return new Result(partitions, batch, records, stats.files.get(), sustained, overall, heap.peakUsedMb, heap.peakLiveMb(),
                peakRssMb(), cpuPerRecord);
    }

    /**
     * When commits happened and how far they reached (the sum of the committed offsets), seen from the beforeCommit hook,
     * and when the last record was read (afterRead).
     */
    static final class Timing implements ParquetSinkEngine.Hooks {
        private final Map<TopicPartition, Long> committed = new java.util.concurrent.ConcurrentHashMap<>();
        /** Every commit: {nanos, committed records}. */
        final List<long[]> commits = java.util.Collections.synchronizedList(new ArrayList<>());
        volatile long lastReadNanos;

        @Override
        public void beforeCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
            long now = System.nanoTime();
            offsets.forEach((tp, o) -> committed.put(tp, o.offset()));
            long sum = committed.values().stream().mapToLong(Long::longValue).sum();
            commits.add(new long[] {now, sum});
        }

        /** Records/s committed from {@code startNanos} (the start of run()) to the last commit, idle wait included. */
        double overall(long startNanos) {
            synchronized (commits) {
                if (commits.isEmpty()) {
                    return Double.NaN;
                }
                long[] last = commits.get(commits.size() - 1);
                return last[1] / ((last[0] - startNanos) / 1e9);
            }
        }

        @Override
        public void afterRead(int records) {
            if (records > 0) {
                lastReadNanos = System.nanoTime();
            }
        }

        /**
         * Records/s committed between the first commit and the last one made while records were still being read. The
         * batches still open when the topic runs dry are only cut when the sink has been idle for its stop time (3 s)
         * or by their age (30 s): counting to the commit after that measured the idle wait, not the sink (3 partitions
         * of 66,667 records left 6,667 in each open; 200,000 on one partition are 20 full batches and left none).
         */
        double sustained() {
            long[] first = null;
            long[] last = null;
            synchronized (commits) {
                for (long[] c : commits) {
                    if (first == null) {
                        first = c;
                    }
                    if (c[0] <= lastReadNanos) {
                        last = c;
                    }
                }
            }
            if (first == null || last == null || last[0] <= first[0]) {
                return Double.NaN;
            }
            return (last[1] - first[1]) / ((last[0] - first[0]) / 1e9);
        }
    }

    /** The sink's options for a drain: BATCH_SIZE, a group of its own, stop when idle for 3 s. */
    record Drain(ParquetSinkEngine.Options options) {
        ParquetSinkEngine engine(LabConfig lab) {
            return ParquetSink.create(lab, options);
        }

        void run(LabConfig lab) {
            engine(lab).run();
        }
    }

    static Drain options(String topic, String group, int batch, Timing timing) {
        return new Drain(ParquetSinkEngine.Options.defaults(topic, group).batchSize(batch).flushInterval(Duration.ofSeconds(30))
                .stopWhenIdle(Duration.ofSeconds(3)).progressEvery(Duration.ofMinutes(10)).log(line -> { }).hooks(timing));
    }

    /** Fills the topic as fast as the producer goes (not timed), keyed by user like the generator. */
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

    /** The consumer's thread (main) against everything else of the process (workers, GC, JIT), in us per record. */
    static String threadCpu(long records, long processCpuNanos, long mainCpuNanos) {
        return String.format(java.util.Locale.ROOT, "CPU per record: %.2f us on the consumer's thread, %.2f us on all the others (workers, GC, JIT)",
                mainCpuNanos / 1e3 / Math.max(1, records), (processCpuNanos - mainCpuNanos) / 1e3 / Math.max(1, records));
    }

    /** This process' peak resident set size (VmHWM in /proc/self/status, Linux), in MB; -1 elsewhere. */
    static long peakRssMb() {
        return procStatusMb("VmHWM:");
    }

    /** This process' resident set size now (VmRSS), in MB; -1 where /proc is not there. */
    static long rssMb() {
        return procStatusMb("VmRSS:");
    }

    private static long procStatusMb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).replace("kB", "").trim()) >> 10;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    /**
     * Samples the used heap every 50 ms (the peak includes garbage not yet collected), and keeps the largest heap left
     * after any garbage collection: the peak of what the sink really holds (its live set).
     */
    static final class HeapWatch extends Thread {
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        volatile long peakUsedMb;
        private final AtomicLong peakLiveBytes = new AtomicLong();

        HeapWatch() {
            setDaemon(true);
            for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof javax.management.NotificationEmitter emitter) {
                    emitter.addNotificationListener((n, handback) -> {
                        if (n.getUserData() instanceof javax.management.openmbean.CompositeData data
                                && "com.sun.management.gc.notification".equals(n.getType())) {
                            long after = com.sun.management.GarbageCollectionNotificationInfo.from(data).getGcInfo()
                                    .getMemoryUsageAfterGc().entrySet().stream()
                                    .filter(e -> isHeap(e.getKey())).mapToLong(e -> e.getValue().getUsed()).sum();
                            peakLiveBytes.accumulateAndGet(after, Math::max);
                        }
                    }, null, null);
                }
            }
        }

        private static boolean isHeap(String pool) {
            for (java.lang.management.MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                if (p.getName().equals(pool)) {
                    return p.getType() == java.lang.management.MemoryType.HEAP;
                }
            }
            return false;
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

        /** The largest heap left after a collection during the run (0 when no collection ran). */
        long peakLiveMb() {
            return peakLiveBytes.get() >> 20;
        }
    }
}
