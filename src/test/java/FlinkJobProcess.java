import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.minio.MinioClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Lesson 12's Flink job (lab/engine/FlinkLake.java) in a JVM of its own. Flink stays off the tests' classpath (its
 * jars would sit beside S3Proxy's and Kafka's in the one test JVM): JBang resolves the job's classpath exactly as for
 * {@code ./jbang lesson12}, and the test starts {@code java -cp <that> FlinkLake ...}, which it may kill hard.
 */
final class FlinkJobProcess {
    private static String classpath;

    /** The process, what it printed, and a latch released when it says the job runs. */
    record Job(Process process, List<String> output, CountDownLatch running) {
        String said() {
            synchronized (output) {
                return String.join("\n", output.subList(Math.max(0, output.size() - 40), output.size()));
            }
        }

        /** The id of the job, from the line "RUNNING <id>" it printed (after {@link #running} was released). */
        String jobId() {
            synchronized (output) {
                return output.stream().filter(l -> l.startsWith("RUNNING ")).map(l -> l.substring(8).trim()).findFirst()
                        .orElseThrow(() -> new IllegalStateException("the job has not said RUNNING yet"));
            }
        }

        /** Kills the JVM at once (SIGKILL: no shutdown hook, no last checkpoint, nothing flushed). */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private FlinkJobProcess() {}

    /** FlinkLake's classpath: {@code ./jbang build}, then {@code ./jbang info classpath} (resolves Flink once, ~100 MB). */
    static synchronized String classpath() throws Exception {
        if (classpath == null) {
            jbang("build", "lab/engine/FlinkLake.java");
            String[] lines = jbang("info", "classpath", "lab/engine/FlinkLake.java").split("\\R");
            classpath = lines[lines.length - 1]; // JBang may print notes first; the classpath is the last line
        }
        return classpath;
    }

    private static String jbang(String... args) throws Exception {
        boolean windows = System.getProperty("os.name").toLowerCase().contains("win");
        List<String> command = new ArrayList<>(List.of(Path.of(windows ? "jbang.cmd" : "jbang").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("./jbang " + String.join(" ", args) + " failed (exit "
                    + (p.isAlive() ? "none, still running" : p.exitValue()) + "): " + out);
        }
        return out;
    }

    /** Starts {@code FlinkLake} with {@code args}, against the test's lab. */
    static Job start(LabConfig lab, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx512m",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.slf4j.simpleLogger.log.org.apache.flink=error",
                "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=error", "-cp", classpath(), "FlinkLake"));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", lab.kafkaBootstrap());
        pb.environment().put("S3_ENDPOINT", lab.s3Endpoint());
        pb.environment().put("S3_ACCESS_KEY", lab.s3AccessKey());
        pb.environment().put("S3_SECRET_KEY", lab.s3SecretKey());
        pb.environment().put("S3_BUCKET", lab.bucket());
        Process p = pb.start();
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch running = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    output.add(line);
                    System.out.println("  [flink] " + line);
                    if (line.startsWith("RUNNING ")) {
                        running.countDown();
                    }
                }
            } catch (IOException ignored) {
                // killed
            }
        }, "flink-job-output");
        reader.setDaemon(true);
        reader.start();
        return new Job(p, output, running);
    }

    /** The arguments for one job: its topic, group, bucket and parallelism, and Flink settings. */
    static List<String> args(String topic, String group, String bucket, int parallelism, Map<String, String> settings) {
        List<String> args = new ArrayList<>(List.of("--topic", topic, "--group", group, "--bucket", bucket,
                "--parallelism", Integer.toString(parallelism)));
        settings.forEach((k, v) -> args.addAll(List.of("--set", k + "=" + v)));
        return args;
    }

    /** Runs a job until it has caught up with its topic and stopped with a savepoint; fails with what it said. */
    static void runToEnd(LabConfig lab, List<String> args, Duration timeout) throws Exception {
        List<String> all = new ArrayList<>(args);
        all.add("--stop-when-caught-up");
        Job job = start(lab, all);
        if (!job.process().waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            job.kill();
            throw new AssertionError("the Flink job did not catch up and stop within " + timeout.toSeconds() + " s; it said:\n" + job.said());
        }
        if (job.process().exitValue() != 0) {
            throw new AssertionError("the Flink job exited with " + job.process().exitValue() + "; it said:\n" + job.said());
        }
    }

    /** Every row of every {@code .parquet} object under {@code <topic>/} of the bucket, by object key. */
    static Map<String, List<EventParquet.Row>> lake(LabConfig lab, String bucket, String topic) {
        Map<String, List<EventParquet.Row>> objects = new TreeMap<>();
        try (MinioClient s3 = LabS3.client(lab)) {
            for (String key : Lake.listParquet(s3, bucket, topic + "/")) {
                objects.put(key, EventParquet.read(Lake.get(s3, bucket, key)));
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not read the lake s3://" + bucket + "/" + topic + "/: " + e, e);
        }
        return objects;
    }

    /** How many times each "partition@offset" is in the lake. */
    static Map<String, Integer> timesInLake(Map<String, List<EventParquet.Row>> lake) {
        Map<String, Integer> times = new HashMap<>();
        lake.values().forEach(rows -> rows.forEach(r -> times.merge(r.kafkaPartition() + "@" + r.kafkaOffset(), 1, Integer::sum)));
        return times;
    }

    /** The "partition@offset" of every message of a written corpus, valid ones or invalid ones. */
    static Set<String> positions(List<HostileCorpus.Placed> placed, boolean valid) {
        Set<String> out = new TreeSet<>();
        placed.stream().filter(p -> p.valid() == valid).forEach(p -> out.add(p.partition() + "@" + p.offset()));
        return out;
    }

    /** Valid events sent to a topic at a steady rate on a thread of its own, until stopped; remembers where each went. */
    static final class Trickle implements AutoCloseable {
        private final Set<String> positions = Collections.synchronizedSet(new TreeSet<>());
        private final Thread thread;
        private volatile boolean stop;

        private Trickle(LabConfig lab, String topic, int perSecond, long seed) {
            thread = new Thread(() -> {
                Properties props = lab.kafkaProperties();
                props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
                props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
                Clickstream events = new Clickstream(seed, 500, 200, java.time.Instant.parse("2026-11-24T18:00:00Z").toEpochMilli());
                try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
                    long start = System.nanoTime();
                    for (long sent = 0; !stop; sent++) {
                        long due = start + sent * 1_000_000_000L / perSecond;
                        while (System.nanoTime() < due && !stop) {
                            Thread.sleep(1);
                        }
                        MusicEvent e = events.next();
                        producer.send(new ProducerRecord<>(topic, e.userId(), e.toBytes()), (m, failure) -> {
                            if (failure == null) {
                                positions.add(m.partition() + "@" + m.offset());
                            }
                        });
                    }
                    producer.flush();
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }, "trickle-" + topic);
            thread.start();
        }

        static Trickle start(LabConfig lab, String topic, int perSecond, long seed) {
            return new Trickle(lab, topic, perSecond, seed);
        }

        /** Stops sending, waits for the last acknowledgements, and returns "partition@offset" of every event sent. */
        Set<String> stopAndGetPositions() throws InterruptedException {
            stop = true;
            thread.join(TimeUnit.SECONDS.toMillis(60));
            return new TreeSet<>(positions);
        }

        @Override
        public void close() throws InterruptedException {
            stopAndGetPositions();
        }
    }

    /** The checkpoints under {@code s3://<bucket>/<prefix>} (as {@code <job>/chk-N}), from their {@code _metadata} objects. */
    static List<String> checkpoints(LabConfig lab, String bucket, String prefix) {
        List<String> found = new ArrayList<>();
        try (MinioClient s3 = LabS3.client(lab)) {
            for (var r : s3.listObjects(io.minio.ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
                String key = r.get().objectName();
                if (key.endsWith("/_metadata") && key.contains("/chk-")) {
                    found.add(key.substring(prefix.length(), key.length() - "/_metadata".length()));
                }
            }
        } catch (Exception e) {
            throw new UncheckedIOException(new IOException("could not list s3://" + bucket + "/" + prefix + ": " + e, e));
        }
        found.sort((a, b) -> Long.compare(Long.parseLong(a.substring(a.lastIndexOf('-') + 1)), Long.parseLong(b.substring(b.lastIndexOf('-') + 1))));
        return found;
    }
}
