///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES ../lab/engine/FlinkLake.java ../lab/events/Clickstream.java ../lab/events/EventParquet.java ../lab/LabConfig.java ../lab/LabException.java ../lab/kafka/LabKafka.java ../lab/kafka/LabTopics.java ../lab/lake/LabS3.java ../lab/lake/Lake.java ../lab/teaching/Lesson.java ../lab/events/MusicEvent.java ../lab/clickhouse/ClickHouse.java
//COMPILE_OPTIONS -encoding UTF-8
//SOURCES ../lab/lake/LakeCheck.java ../solutions/12_flink_lake/1_checkpoint_settings/CheckpointSettings.java
//SOURCES ../solutions/07_data_quality/1_reconcile/Reconcile.java ../solutions/07_data_quality/2_schema_drift/SchemaDrift.java
//SOURCES ../solutions/07_data_quality/3_exit_code/ExitCode.java
//MAIN FlinkLakeLesson
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.flink=error
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.log.org.apache.kafka=error

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.clickhouse.client.api.ServerException;
import io.minio.MinioClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Lesson 12 — when one machine is not enough: the lake of lesson 06, built by a distributed engine (Apache Flink),
 * exactly-once. The same job runs here in this JVM (a local mini-cluster) and, unchanged, on a Flink cluster.
 *
 *   ./jbang lesson12 [--topic music_events] [--parallelism 3] [--interval 2] [--rate 200]     (after ./jbang lesson04)
 *
 * The lake goes to its own bucket (<bucket>-flink, e.g. clickstream-flink) under the same <topic>/event_date=/event_type=
 * layout, so lesson 07's check and lesson 09's SQL read it unchanged, next to the hand-written sink's lake.
 */
class FlinkLakeLesson {
    public static void main(String[] args) throws Exception {
        Map<String, String> opt = Lesson.options(args);
        String topic = opt.getOrDefault("--topic", "music_events");
        int parallelism = Integer.parseInt(opt.getOrDefault("--parallelism", "3"));
        Duration interval = Duration.ofSeconds(Long.parseLong(opt.getOrDefault("--interval", "2")));
        int rate = Integer.parseInt(opt.getOrDefault("--rate", "200"));
        Lesson.run("12", lab -> run(lab, topic, parallelism, interval, rate));
    }

    static int run(LabConfig lab, String original, int parallelism, Duration interval, int rate) throws Exception {
        // in a workshop the learner's own topic, group and checkpoint folder (lab.topic: alice.music_events)
        String topic = lab.topic(original);
        LabKafka.ClusterInfo cluster = LabKafka.probe(lab, Duration.ofSeconds(5));
        LabS3.probe(lab);
        if (!cluster.topics().contains(topic)) {
            throw new LabException("There is no topic '" + topic + "' at " + lab.kafkaBootstrap() + " yet: run ./jbang lesson04 first.");
        }
        String bucket = lab.bucket() + "-flink";
        String group = lab.group("flink-lake-" + original);
        FlinkLake.Job job = new FlinkLake.Job(topic, group, bucket, parallelism,
                CheckpointSettings.exactlyOnce(interval, "s3://" + bucket + "/" + lab.s3Key("_checkpoints")));

        Lesson.step(1, "Why an engine, and why Flink for this lake");
        Lesson.say("Lesson 06's sink scales by running more instances in one group, on machines you look after. An engine");
        Lesson.say("runs the same work as a job: it spreads it over a cluster, restarts failed parts, and keeps state.");
        Lesson.say("Two engines can write this lake, and both were measured on this course's lab (docs/benchmarks.md):");
        Lesson.say(" - Spark Structured Streaming commits a micro-batch in _spark_metadata/ under the output path. Readers that");
        Lesson.say("   honour it see exactly-once; ClickHouse's s3('.../**/*.parquet') does not, and the files of a failed batch");
        Lesson.say("   are visible at once. Tried here: a batch that failed left 21,000 rows that s3() counted, with no commit.");
        Lesson.say("   Its download is ~900 MB (hadoop-aws brings the whole AWS SDK), ~19 s to a session on 2 cores.");
        Lesson.say(" - Flink's FileSink writes each part file as an S3 multipart upload and completes it only when a checkpoint");
        Lesson.say("   has completed. Until then no object exists: any glob reader sees whole checkpoints or nothing.");
        Lesson.say("   Its jars add ~100 MB to the course (the s3:// file system, flink-s3-fs-native, is one shaded 15 MB jar).");
        Lesson.say("So: Flink. The lake keeps lesson 06's layout and schema, in a bucket of its own: " + bucket + ".");

        Lesson.step(2, "The job: Kafka source -> parse -> Parquet file sink (and dead letters), " + parallelism + " parallel instances");
        for (String line : FlinkLake.graph(FlinkLake.define(lab, job, null))) {
            Lesson.saw(line);
        }
        Lesson.say("Flink chains operators that pass records one to one into a single task (one thread per instance): no");
        Lesson.say("network between them. Each of the " + parallelism + " instances reads its share of " + topic + "'s partitions;");
        Lesson.say("more instances than partitions would idle. The settings that make it exactly-once (your exercise):");
        job.settings().forEach((k, v) -> Lesson.saw(k + " = " + v));

        Lesson.step(3, "Run it in this JVM until it has caught up with " + topic + ", watching the checkpoints");
        int removed = FlinkLake.reset(lab, job);
        Lesson.saw(String.format("a fresh start: emptied the job's folders in s3://%s (%s/ and its checkpoints: %,d objects of earlier runs)"
                + " and forgot group %s", bucket, topic, removed, group));
        long started = System.nanoTime();
        String savepoint;
        try (FlinkLake.Running running = FlinkLake.start(lab, job, null)) {
            running.awaitRunning(Duration.ofMinutes(2));
            Lesson.saw(String.format("job %s RUNNING after %,d ms (a mini-cluster: JobManager and TaskManager in this JVM)",
                    running.jobId(), (System.nanoTime() - started) / 1_000_000));
            Watch watch = new Watch(lab, job);
            running.awaitCaughtUp(Duration.ofMinutes(5), line -> watch.report());
            watch.report();
            savepoint = running.stop();
            Lesson.saw(String.format("caught up after %,d ms; stopped with a savepoint (flink stop): %s",
                    (System.nanoTime() - started) / 1_000_000, savepoint));
        }
        Lesson.say("A checkpoint is one consistent cut: the source's offsets and the sink's closed files, together. When it");
        Lesson.say("completes, the files' uploads are completed and the offsets committed to the group (for lag and lesson 07).");
        lakeSummary(lab, bucket, topic);

        Lesson.step(4, "Kill -9 in the middle, restart from the last checkpoint: nothing lost, nothing doubled");
        Lesson.say("The job goes on from its savepoint (flink run -s <savepoint>), in a JVM of its own, while " + rate + " new");
        Lesson.say("events/s arrive; once it has completed two checkpoints, that JVM is killed (SIGKILL: no shutdown, no last checkpoint).");
        String[] childJob = new String[1];
        Process child = startChild(job, savepoint, childJob);
        AtomicLong sent = new AtomicLong();
        Thread producer = trickle(lab, topic, rate, sent);
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            // Flink keeps only the latest checkpoint (chk-N replaces chk-N-1): wait for number 2 of the child's job
            while (FlinkLake.checkpoints(lab, job).stream().noneMatch(c -> c.jobId().equals(childJob[0]) && c.id() >= 2)) {
                if (!child.isAlive() || System.nanoTime() > deadline) {
                    throw new LabException("the job's JVM made no two checkpoints within 3 minutes (alive: " + child.isAlive() + ")");
                }
                Thread.sleep(100);
            }
            child.destroyForcibly();
            child.waitFor(20, TimeUnit.SECONDS);
        } finally {
            producer.interrupt();
            producer.join();
            child.destroyForcibly();
        }
        List<FlinkLake.Checkpoint> checkpoints = FlinkLake.checkpoints(lab, job);
        FlinkLake.Checkpoint last = checkpoints.get(checkpoints.size() - 1);
        Lesson.saw(String.format("killed; %,d events were sent meanwhile; the last complete checkpoint: %s (_metadata %,d bytes)",
                sent.get(), last.path(), last.metadataBytes()));
        Lesson.saw("committed offsets " + LabTopics.committedOffsets(lab, group, topic) + ", end offsets " + LabTopics.endOffsets(lab, topic));
        Lesson.saw(positions(lab, bucket, topic));
        Lesson.say("The files the killed job was writing after that checkpoint are incomplete multipart uploads: no object,");
        Lesson.say("nothing for any reader. (On AWS a lifecycle rule, AbortIncompleteMultipartUpload, clears their parts.)");

        started = System.nanoTime();
        try (FlinkLake.Running restarted = FlinkLake.start(lab, job, last.path())) {
            restarted.awaitRunning(Duration.ofMinutes(2));
            Lesson.saw("restarted from " + last.path() + " (flink run -s <that path>), job " + restarted.jobId());
            restarted.awaitCaughtUp(Duration.ofMinutes(5), line -> { });
            restarted.stop();
        }
        Lesson.saw(String.format("caught up and stopped after %,d ms: %s", (System.nanoTime() - started) / 1_000_000,
                positions(lab, bucket, topic)));
        Lesson.say("The restored source went back to the checkpoint's offsets (not to the group's: those are for watching), and");
        Lesson.say("the sink re-wrote what the lost uploads held. On a cluster with high availability the JobManager does this");
        Lesson.say("restore by itself; without it, you pass the last checkpoint to flink run -s.");

        Lesson.step(5, "Lesson 07's check, unchanged, over Flink's lake (bucket " + bucket + ", group " + group + ")");
        LakeCheck.Report report = LakeCheck.check(lab.withBucket(bucket), topic, group, new Reconcile(), new SchemaDrift());
        List<String> lines = LakeCheck.describe(report);
        int perPartition = 0;
        while (perPartition < lines.size() - 1 && !lines.get(perPartition).startsWith("rows per Kafka partition")) {
            perPartition++; // from the reconciliation on: rows per Kafka partition against the group's offsets, the checks
        }
        lines.subList(perPartition, lines.size()).forEach(Lesson::saw);
        Lesson.saw("exit code " + ExitCode.of(report));

        Lesson.step(6, "Lesson 09's s3() over both lakes");
        clickhouse(lab, bucket, topic);

        Lesson.step(7, "The very same job on a real Flink cluster");
        Lesson.say("docker compose --profile flink up -d starts a JobManager (web UI http://127.0.0.1:8081) and a TaskManager");
        Lesson.say("with 3 slots, S3 pointed at MinIO (docker-compose.yml). This job's code, submitted to it from here:");
        Lesson.saw("./jbang lab/engine/FlinkLake.java --jobmanager 127.0.0.1:8081 --kafka kafka:19092 --topic " + topic
                + " --group " + group + " --bucket " + bucket + " --parallelism " + parallelism
                + job.settings().entrySet().stream().map(e -> " --set " + e.getKey() + "=" + e.getValue().replace(" ", "")).reduce("", String::concat));
        Lesson.say("It ships the jars a Flink distribution lacks (the Kafka connector, Parquet, the lab's code) and runs on the");
        Lesson.say("cluster's TaskManagers, which reach Kafka as kafka:19092. Then: flink list, flink stop <job id> (step 3's stop),");
        Lesson.say("flink run -s <checkpoint> (step 4's restore), on the JobManager (docker compose exec flink-jobmanager flink ...).");
        Lesson.say("(Not run on machines without Docker: the course's CI has none.)");
        Lesson.say("Your exercise: exercises/12_flink_lake/1_checkpoint_settings/CheckpointSettings.java. Check it:");
        Lesson.say("./jbang course verify 12.1");
        return ExitCode.of(report);
    }

    /** Prints a line whenever a new checkpoint has completed: the group's committed offsets and the lake's objects. */
    static final class Watch {
        private final LabConfig lab;
        private final FlinkLake.Job job;
        private long lastSeen = -1;

        Watch(LabConfig lab, FlinkLake.Job job) {
            this.lab = lab;
            this.job = job;
        }

        void report() {
            List<FlinkLake.Checkpoint> all = FlinkLake.checkpoints(lab, job);
            if (all.isEmpty() || all.get(all.size() - 1).id() == lastSeen) {
                return;
            }
            FlinkLake.Checkpoint c = all.get(all.size() - 1);
            lastSeen = c.id();
            int objects;
            try (MinioClient s3 = LabS3.client(lab)) {
                objects = Lake.listParquet(s3, job.bucket(), job.topic() + "/").size();
            } catch (Exception e) {
                throw new LabException("could not list the lake: " + LabKafka.rootMessage(e), e);
            }
            Lesson.saw(String.format("checkpoint %-6s committed %s, %,d objects in the lake",
                    "chk-" + c.id(), LabTopics.committedOffsets(lab, job.group(), job.topic()), objects));
        }
    }

    static void lakeSummary(LabConfig lab, String bucket, String topic) {
        Map<String, long[]> perPath = new TreeMap<>();
        String example = null;
        try (MinioClient s3 = LabS3.client(lab)) {
            for (String key : Lake.listParquet(s3, bucket, topic + "/")) {
                String path = "event_date=" + Lake.partitionValue(key, "event_date") + "/event_type=" + Lake.partitionValue(key, "event_type");
                long[] filesRows = perPath.computeIfAbsent(path, p -> new long[2]);
                filesRows[0]++;
                filesRows[1] += EventParquet.footer(Lake.get(s3, bucket, key)).rows();
                example = key;
            }
        } catch (LabException e) {
            throw e;
        } catch (Exception e) {
            throw new LabException("could not read the lake: " + LabKafka.rootMessage(e), e);
        }
        perPath.entrySet().stream().limit(10).forEach(e -> Lesson.saw(String.format("%-66s %,5d files %,9d rows",
                topic + "/" + e.getKey(), e.getValue()[0], e.getValue()[1])));
        if (perPath.size() > 10) {
            Lesson.saw("... " + (perPath.size() - 10) + " more paths");
        }
        Lesson.saw("e.g. s3://" + bucket + "/" + example);
        Lesson.say("Part files are named part-<uuid of the writing instance>-<n>.parquet: one per path, instance and checkpoint.");
        Lesson.say("The checkpoint interval is the file size knob: frequent checkpoints mean fresh data and small files.");
    }

    /** Rows, distinct offsets and objects in the lake, as one line. */
    static String positions(LabConfig lab, String bucket, String topic) {
        long rows = 0;
        java.util.Set<String> distinct = new java.util.HashSet<>();
        int objects = 0;
        try (MinioClient s3 = LabS3.client(lab)) {
            for (String key : Lake.listParquet(s3, bucket, topic + "/")) {
                objects++;
                for (EventParquet.Row r : EventParquet.read(Lake.get(s3, bucket, key))) {
                    rows++;
                    distinct.add(r.kafkaPartition() + "@" + r.kafkaOffset());
                }
            }
        } catch (LabException e) {
            throw e;
        } catch (Exception e) {
            throw new LabException("could not read the lake: " + LabKafka.rootMessage(e), e);
        }
        return String.format("the lake: %,d rows in %,d objects, %,d distinct (partition, offset)", rows, objects, distinct.size());
    }

    /** The job in a JVM of its own: this lesson's classpath, FlinkLake's main. */
    static Process startChild(FlinkLake.Job job, String restoreFrom, String[] jobId) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx512m",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.slf4j.simpleLogger.log.org.apache.flink=error",
                "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=error", "-cp", System.getProperty("java.class.path"), "FlinkLake",
                "--topic", job.topic(), "--group", job.group(), "--bucket", job.bucket(), "--parallelism", Integer.toString(job.parallelism())));
        job.settings().forEach((k, v) -> command.addAll(List.of("--set", k + "=" + v)));
        command.addAll(List.of("--restore", restoreFrom));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start(); // the environment (the lab) is inherited
        CountDownLatch running = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("RUNNING ")) {
                        jobId[0] = line.substring(8).trim();
                        Lesson.saw("the job's JVM (pid " + p.pid() + ") says: " + line);
                        running.countDown();
                    } else if (!line.isBlank()) {
                        Lesson.saw("[job] " + line);
                    }
                }
            } catch (Exception ignored) {
                // killed
            }
        }, "flink-child-output");
        reader.setDaemon(true);
        reader.start();
        if (!running.await(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new LabException("the job's JVM did not start the job within 3 minutes");
        }
        return p;
    }

    /** Sends new events at {@code perSecond} until interrupted (the seed is the time, so every run adds new ones). */
    static Thread trickle(LabConfig lab, String topic, int perSecond, AtomicLong sent) {
        Thread t = new Thread(() -> {
            Properties props = lab.kafkaProperties();
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
            Clickstream events = new Clickstream(Instant.now().toEpochMilli(), 10_000, 1_000, -1);
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
                long start = System.nanoTime();
                for (long n = 0; !Thread.currentThread().isInterrupted(); n++) {
                    long due = start + n * 1_000_000_000L / perSecond;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        try {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        } catch (InterruptedException e) {
                            break;
                        }
                    }
                    MusicEvent e = events.next();
                    producer.send(new ProducerRecord<>(topic, e.userId(), e.toBytes()), (m, failure) -> {
                        if (failure == null) {
                            sent.incrementAndGet();
                        }
                    });
                }
                producer.flush();
            }
        }, "trickle");
        t.start();
        return t;
    }

    /** s3() over Flink's lake and over lesson 06's, per event type, when ClickHouse answers. */
    static void clickhouse(LabConfig lab, String bucket, String topic) {
        ClickHouse ch;
        try {
            ch = ClickHouse.connect(lab);
        } catch (LabException e) {
            Lesson.saw("skipped: " + e.getMessage().lines().findFirst().orElse("no ClickHouse"));
            return;
        }
        try (ch) {
            String s3 = ClickHouse.s3EndpointFor(ch, lab);
            Path root = Path.of("").toAbsolutePath();
            Map<String, String> params = Map.of("s3_url", s3, "s3_bucket", bucket, "s3_access_key", lab.s3AccessKey(),
                    "s3_secret_key", lab.s3SecretKey(), "music_events", topic);
            ch.runFile(root.resolve("sql/09_1_lake.sql"), params);
            Lesson.saw("sql/09_1_lake.sql with {s3_bucket} = " + bucket + ": " + ch.scalar("SELECT count() FROM music_events_lake")
                    + " rows, " + ch.scalar("SELECT uniqExact(kafka_partition, kafka_offset) FROM music_events_lake") + " distinct offsets");
            String keys = "'" + lab.s3AccessKey() + "', '" + lab.s3SecretKey() + "'";
            String sql = "SELECT f.event_type AS event_type, f.n AS flink, h.n AS sink "
                    + "FROM (SELECT event_type, count() AS n FROM s3('" + s3 + "/" + bucket + "/" + topic + "/**/*.parquet', " + keys
                    + ", 'Parquet') GROUP BY event_type) AS f LEFT JOIN (SELECT event_type, count() AS n FROM s3('" + s3 + "/"
                    + lab.bucket() + "/" + topic + "/**/*.parquet', " + keys + ", 'Parquet') GROUP BY event_type) AS h USING (event_type) "
                    + "ORDER BY event_type";
            try {
                for (Map<String, String> row : ch.query(sql).stream().map(ClickHouse::text).toList()) {
                    Lesson.saw(String.format("%-26s Flink's lake %,8d   lesson 06's lake %,8d", row.get("event_type"),
                            Long.parseLong(row.get("flink")), Long.parseLong(row.get("sink"))));
                }
                Lesson.say("They agree when lesson 06's sink has read the same offsets (run ./jbang lesson06 again to catch up):");
                Lesson.say("same events, same layout, same schema; only the file names and sizes differ.");
            } catch (ServerException e) {
                Lesson.saw("s3://" + lab.bucket() + "/" + topic + "/ has no Parquet files yet: run ./jbang lesson06 to compare both lakes");
            }
        }
    }
}
