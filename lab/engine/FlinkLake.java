//SOURCES S3CommitOnRestore.java ../events/EventParquet.java ../events/MusicEvent.java ../LabConfig.java ../LabException.java ../kafka/LabKafka.java ../kafka/LabTopics.java ../lake/LabS3.java
//COMPILE_OPTIONS -encoding UTF-8
// Lesson 12's engine: Apache Flink, in this JVM (a local mini-cluster) or submitted to a cluster. Only JBang scripts
// that //SOURCES this file get Flink on their classpath; Maven does not compile lab/engine/ (pom.xml excludes it), and
// the tests run it in a JVM of its own (src/test/java/FlinkJobProcess.java). Versions match pom.xml's flink profile.
// flink-connector-kafka 5.0.0-2.2 manages Flink 2.1.0 in its parent pom, and JBang would take those versions for the
// Flink modules it pulls in transitively: naming them here keeps every Flink jar at 2.3.0.
//DEPS org.apache.flink:flink-streaming-java:2.3.0
//DEPS org.apache.flink:flink-clients:2.3.0
//DEPS org.apache.flink:flink-core:2.3.0
//DEPS org.apache.flink:flink-core-api:2.3.0
//DEPS org.apache.flink:flink-runtime:2.3.0
//DEPS org.apache.flink:flink-metrics-core:2.3.0
//DEPS org.apache.flink:flink-annotations:2.3.0
//DEPS org.apache.flink:flink-connector-datagen:2.3.0
//DEPS org.apache.flink:flink-connector-files:2.3.0
//DEPS org.apache.flink:flink-parquet:2.3.0
//DEPS org.apache.flink:flink-s3-fs-native:2.3.0
//DEPS org.apache.flink:flink-connector-kafka:5.0.0-2.2
// flink-parent manages okhttp at 3.14.9, which JBang would apply to MinIO's client (it needs 4.11+)
//DEPS com.squareup.okhttp3:okhttp:4.12.0
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.minio.BucketExistsArgs;
import io.minio.ListObjectsArgs;
import io.minio.RemoveObjectsArgs;
import io.minio.Result;
import io.minio.messages.DeleteError;
import io.minio.messages.DeleteObject;
import io.minio.messages.Item;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.formats.parquet.ParquetWriterFactory;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;
import org.apache.flink.streaming.api.graph.StreamingJobGraphGenerator;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The lake of lesson 06, built by Apache Flink: Kafka source → parse → Parquet files in S3, with the same layout
 * ({@code s3://<bucket>/<topic>/event_date=YYYY-MM-DD/event_type=<name>/}) and the same flat schema
 * ({@link EventParquet#SCHEMA}, with {@code kafka_partition} and {@code kafka_offset}); messages that do not parse go
 * to {@code <topic>_dlq} with the headers lesson 06's sink gives them.
 *
 * <p>Exactly-once comes from checkpoints, not from committed offsets: at each checkpoint the Kafka source records its
 * positions and the file sink closes its part files (S3 multipart uploads that are not completed yet, so no reader
 * sees them); only when the checkpoint is complete are the uploads completed. A crash before that leaves nothing
 * visible, and a restart from the checkpoint re-reads exactly what those files would have held. Which checkpoint
 * settings do that is the learner's part (lesson 12's exercise): they arrive here as plain Flink settings.
 *
 *   java -cp ... FlinkLake --topic music_events --group G --bucket B [--parallelism 3] [--set key=value ...]
 *                          [--restore s3://B/_checkpoints/<job>/chk-N] [--stop-when-caught-up]
 *   ./jbang lab/engine/FlinkLake.java --jobmanager 127.0.0.1:8081 --kafka kafka:19092 [the same options]
 *                          (the same job, submitted to a Flink cluster, e.g. docker compose --profile flink)
 */
public final class FlinkLake {
    private FlinkLake() {}

    /** Where checkpoints go unless the settings say otherwise. */
    public static final String CHECKPOINT_DIR = "execution.checkpointing.dir";
    public static final String CHECKPOINT_INTERVAL = "execution.checkpointing.interval";
    public static final String RESTORE_FROM = "execution.state-recovery.path";

    /**
     * One job: which topic, which consumer group (Flink commits its offsets there at each checkpoint, for lag and
     * lesson 07's check; a new job starts from them, a restored one from its checkpoint), which bucket, how many parallel instances, and
     * the Flink settings (checkpoints and the like) on top of the lab's.
     */
    public record Job(String topic, String group, String bucket, int parallelism, Map<String, String> settings) {
        public Job {
            settings = Map.copyOf(settings);
        }

        /** The lake's root: {@code s3://<bucket>/<topic>}. */
        public String lakeUri() {
            return "s3://" + bucket + "/" + topic;
        }

        public String deadLetterTopic() {
            return topic + "_dlq";
        }

        public Job withSettings(Map<String, String> more) {
            Map<String, String> all = new LinkedHashMap<>(settings);
            all.putAll(more);
            return new Job(topic, group, bucket, parallelism, all);
        }
    }

    /** A completed checkpoint, as its {@code _metadata} file in the checkpoint directory shows it. */
    public record Checkpoint(String jobId, long id, String path, long metadataBytes, Instant written) {}

    /** A Kafka record as the source hands it on: where it was, and its bytes (parsed in the next operator). */
    public static final class Raw {
        public int partition;
        public long offset;
        public byte[] key;
        public byte[] value;
        public String[] headerKeys;
        public byte[][] headerValues;
        /** Why it is a dead letter; null for a record that parsed. */
        public String error;

        public Raw() {}
    }

    /**
     * The lake's path of a row: its event's date (UTC) and type, Hive style. Flink calls the path a "bucket" (not an
     * S3 bucket): one directory of part files. The bucket id is kept in checkpoints, hence its serializer.
     */
    public static final class LakePath implements BucketAssigner<EventParquet.Row, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getBucketId(EventParquet.Row row, Context context) {
            // the EVENT's time, never context.currentProcessingTime(): a late event belongs to the day it happened
            return "event_date=" + row.event().eventDate() + "/event_type=" + row.event().type().nameEn;
        }

        @Override
        public SimpleVersionedSerializer<String> getSerializer() {
            return SimpleVersionedStringSerializer.INSTANCE;
        }
    }

    private static final OutputTag<Raw> DEAD_LETTERS = new OutputTag<>("dead-letters", TypeInformation.of(Raw.class));

    /** Lab settings: S3 for the lab's endpoint, ports on 127.0.0.1, a few restarts, then the job's own settings. */
    static Configuration configuration(LabConfig lab, Job job, String restoreFrom) {
        Configuration conf = new Configuration();
        Map<String, String> s = new LinkedHashMap<>();
        // flink-s3-fs-native (AWS SDK v2, shaded into one jar) for s3://; path-style access for MinIO and S3Proxy,
        // and plain PUT bodies with no SDK-added checksums, which the lab's S3 server (S3Proxy) does not implement
        s.put("s3.endpoint", lab.s3Endpoint());
        s.put("s3.path-style-access", "true");
        s.put("s3.access-key", lab.s3AccessKey());
        s.put("s3.secret-key", lab.s3SecretKey());
        s.put("s3.region", "us-east-1");
        s.put("s3.chunked-encoding.enabled", "false");
        s.put("s3.checksum-validation.enabled", "false");
        // the mini-cluster's REST endpoint and data ports: loopback only, on free ports
        s.put("rest.bind-address", "127.0.0.1");
        s.put("rest.address", "127.0.0.1");
        s.put("rest.bind-port", "0");
        s.put("jobmanager.bind-host", "127.0.0.1");
        s.put("taskmanager.bind-host", "127.0.0.1");
        s.put("taskmanager.host", "127.0.0.1");
        // a failing task is restarted from the last checkpoint a few times, then the job fails with the reason
        s.put("restart-strategy.type", "fixed-delay");
        s.put("restart-strategy.fixed-delay.attempts", "3");
        s.put("restart-strategy.fixed-delay.delay", "1 s");
        s.put("pipeline.name", "lake " + job.topic() + " -> " + job.lakeUri());
        // no operator keeps a record after passing it on, so chained operators may hand over the same object
        // instead of a copy made through the record's serializer
        s.put("pipeline.object-reuse", "true");
        s.putAll(job.settings());
        if (restoreFrom != null) {
            s.put(RESTORE_FROM, restoreFrom);
        }
        s.forEach(conf::setString);
        return conf;
    }

    /** The job's graph on {@code env}: source, parse, the Parquet file sink, and the dead letters' Kafka sink. */
    public static StreamExecutionEnvironment define(LabConfig lab, Job job, String restoreFrom) {
        Configuration conf = configuration(lab, job, restoreFrom);
        S3CommitOnRestore.initialize(conf); // s3:// for this JVM (a cluster's TaskManagers configure their own)
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        pipeline(env, lab, job);
        return env;
    }

    /**
     * Submits the same job to a Flink cluster (its JobManager's REST address, e.g. 127.0.0.1:8081), shipping the jars of
     * this JVM that a Flink distribution does not have (Kafka connector, Parquet, the lab's code). {@code tasks} is the
     * lab as the cluster's TaskManagers reach it (in docker compose: Kafka at kafka:19092). Returns the job id.
     */
    public static String submit(LabConfig lab, LabConfig tasks, Job job, String jobManager) throws Exception {
        ensureDeadLetterTopic(lab, job.deadLetterTopic());
        ensureBucket(lab, job.bucket());
        List<String> jars = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            String name = java.nio.file.Path.of(entry).getFileName().toString();
            boolean clusterHasIt = (name.startsWith("flink-") && !name.startsWith("flink-connector-kafka") && !name.startsWith("flink-parquet"))
                    || name.startsWith("slf4j-");
            if (entry.endsWith(".jar") && !clusterHasIt) {
                jars.add(entry);
            }
        }
        String[] hostPort = jobManager.split(":");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createRemoteEnvironment(hostPort[0], Integer.parseInt(hostPort[1]),
                configuration(tasks, job, null), jars.toArray(String[]::new));
        pipeline(env, tasks, job);
        return env.executeAsync().getJobID().toString();
    }

    @SuppressWarnings("deprecation") // OffsetResetStrategy: kafka-clients 4 prefers AutoOffsetResetStrategy; the connector takes this one
    private static void pipeline(StreamExecutionEnvironment env, LabConfig lab, Job job) {
        env.setParallelism(job.parallelism());
        Properties kafka = lab.kafkaProperties();

        KafkaSource<Raw> source = KafkaSource.<Raw>builder()
                .setProperties(kafka)
                .setBootstrapServers(lab.kafkaBootstrap())
                .setTopics(job.topic())
                .setGroupId(job.group())
                // a restored job reads on from its checkpoint's positions and ignores these; a new job starts where the
                // group's committed offsets say (the last checkpoint of an earlier job), else at the beginning
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setProperty("commit.offsets.on.checkpoint", "true")
                .setDeserializer(new RawRecords())
                .build();
        SingleOutputStreamOperator<EventParquet.Row> rows = env
                .fromSource(source, WatermarkStrategy.noWatermarks(), "Kafka " + job.topic()).uid("kafka-source")
                .process(new Parse()).name("parse").uid("parse");

        FileSink<EventParquet.Row> lake = FileSink
                .forBulkFormat(new Path(job.lakeUri()), new ParquetWriterFactory<EventParquet.Row>(EventParquet::writer))
                .withBucketAssigner(new LakePath())
                // bulk formats roll on every checkpoint: a part file per (path, subtask, checkpoint)
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix("part").withPartSuffix(".parquet").build())
                .build();
        rows.sinkTo(lake).name("Parquet to " + job.lakeUri()).uid("lake-sink");

        Properties producer = lab.kafkaProperties();
        producer.setProperty("max.request.size", Integer.toString(DEAD_LETTER_MAX_BYTES));
        producer.setProperty("compression.type", "lz4");
        KafkaSink<Raw> deadLetters = KafkaSink.<Raw>builder()
                .setKafkaProducerConfig(producer)
                .setBootstrapServers(lab.kafkaBootstrap())
                .setRecordSerializer(new DeadLetterRecords(job.topic(), job.deadLetterTopic()))
                // like lesson 06's sink: a dead letter may be written twice after a crash, never lost
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
        rows.getSideOutput(DEAD_LETTERS).sinkTo(deadLetters).name("dead letters to " + job.deadLetterTopic()).uid("dlq-sink");
    }

    /** What runs: each task (operators chained into one thread) and its parallelism, in order from the source. */
    public static List<String> graph(StreamExecutionEnvironment env) {
        JobGraph graph = StreamingJobGraphGenerator.createJobGraph(env.getStreamGraph(false));
        List<String> lines = new ArrayList<>();
        for (JobVertex v : graph.getVerticesSortedTopologicallyFromSources()) {
            lines.add(String.format("task \"%s\" x %d (%d operators chained)", v.getName(), v.getParallelism(),
                    v.getOperatorIDs().size()));
        }
        return lines;
    }

    /** Starts the job in this JVM (a local mini-cluster with one slot per parallel instance). */
    public static Running start(LabConfig lab, Job job, String restoreFrom) {
        ensureDeadLetterTopic(lab, job.deadLetterTopic());
        ensureBucket(lab, job.bucket());
        StreamExecutionEnvironment env = define(lab, job, restoreFrom);
        try {
            return new Running(lab, job, env.executeAsync());
        } catch (Exception e) {
            throw new LabException("Flink could not start the job: " + LabKafka.rootMessage(e), e);
        }
    }

    /** Room for the largest message a dead letter carries (the original bytes plus headers), in the topic and the producer. */
    static final int DEAD_LETTER_MAX_BYTES = 8 * 1024 * 1024;

    /**
     * Creates the dead-letter topic when it is missing, and lets it take messages of up to 8 MiB: a dead letter is
     * the original message plus headers, so a message just under the broker's 1 MiB default no longer fits.
     */
    public static void ensureDeadLetterTopic(LabConfig lab, String topic) {
        LabKafka.ensureTopic(lab, topic, 1);
        try (Admin admin = LabKafka.admin(lab)) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                    new ConfigEntry("max.message.bytes", Integer.toString(DEAD_LETTER_MAX_BYTES)), AlterConfigOp.OpType.SET))))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new LabException("could not set max.message.bytes of " + topic + " at " + lab.kafkaBootstrap() + ": "
                    + LabKafka.rootMessage(e), e);
        }
    }

    /** Creates the lake's bucket when it is missing (Flink writes into a bucket; it does not create one). */
    public static void ensureBucket(LabConfig lab, String bucket) {
        LabS3.probe(lab);
        try (MinioClient s3 = LabS3.client(lab)) {
            if (!s3.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                s3.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            }
        } catch (Exception e) {
            throw new LabException("could not create the bucket " + bucket + " at " + lab.s3Endpoint() + ": " + LabKafka.rootMessage(e), e);
        }
    }

    /**
     * Forgets every run of the job: its lake, checkpoints and savepoints (objects under {@code <topic>/}, its checkpoint
     * folder and its savepoint folder, {@code _checkpoints/} and {@code _savepoints/} unless its settings say otherwise)
     * and its group's committed offsets. A new job starts at the topic's beginning, so without this a second run would
     * write every record again. Nothing else in the bucket is touched: in a workshop it holds the other learners' lakes.
     */
    public static int reset(LabConfig lab, Job job) {
        ensureBucket(lab, job.bucket());
        int removed = 0;
        String inBucket = "s3://" + job.bucket() + "/";
        try (MinioClient s3 = LabS3.client(lab)) {
            for (String prefix : List.of(job.topic() + "/", checkpointDir(job).replace(inBucket, "") + "/",
                    savepointDir(job).replace(inBucket, "") + "/")) {
                List<DeleteObject> objects = new ArrayList<>();
                for (Result<Item> r : s3.listObjects(ListObjectsArgs.builder().bucket(job.bucket()).prefix(prefix).recursive(true).build())) {
                    objects.add(new DeleteObject(r.get().objectName()));
                }
                for (Result<DeleteError> r : s3.removeObjects(RemoveObjectsArgs.builder().bucket(job.bucket()).objects(objects).build())) {
                    DeleteError error = r.get();
                    throw new LabException("could not delete s3://" + job.bucket() + "/" + error.objectName() + ": " + error.message());
                }
                removed += objects.size();
            }
        } catch (LabException e) {
            throw e;
        } catch (Exception e) {
            throw new LabException("could not empty s3://" + job.bucket() + ": " + LabKafka.rootMessage(e), e);
        }
        LabTopics.deleteGroups(lab, List.of(job.group()));
        return removed;
    }

    /** Where the job's checkpoints go: its settings' directory, or {@code s3://<bucket>/_checkpoints}. */
    static String checkpointDir(Job job) {
        return job.settings().getOrDefault(CHECKPOINT_DIR, "s3://" + job.bucket() + "/_checkpoints").replaceAll("/+$", "");
    }

    /** Where a stop's savepoint goes: next to the checkpoints ({@code .../_checkpoints} becomes {@code .../_savepoints}). */
    static String savepointDir(Job job) {
        String checkpoints = checkpointDir(job);
        return checkpoints.endsWith("/_checkpoints") ? checkpoints.replaceAll("/_checkpoints$", "") + "/_savepoints"
                : checkpoints + "/_savepoints";
    }

    /** A job started by {@link #start}. */
    public static final class Running implements AutoCloseable {
        private final LabConfig lab;
        private final Job job;
        private final JobClient client;

        Running(LabConfig lab, Job job, JobClient client) {
            this.lab = lab;
            this.job = job;
            this.client = client;
        }

        public String jobId() {
            return client.getJobID().toString();
        }

        /** The job's status; a job that has ended takes its local mini-cluster with it, and then reads as ended. */
        public JobStatus status() {
            try {
                return client.getJobStatus().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                if (LabKafka.rootMessage(e).contains("MiniCluster is not yet running or has already been shut down")) {
                    return JobStatus.FINISHED; // the result (and a failure's cause) is still there: see failIfEnded
                }
                throw new LabException("could not ask Flink for the job's status: " + LabKafka.rootMessage(e), e);
            }
        }

        /** Waits until every task runs. */
        public void awaitRunning(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (status() != JobStatus.RUNNING) {
                failIfEnded();
                if (System.nanoTime() > deadline) {
                    throw new LabException("the Flink job is still " + status() + " after " + timeout.toSeconds() + " s");
                }
                Thread.sleep(50);
            }
        }

        /**
         * Waits until a checkpoint has taken the job to the topic's end: the group's committed offsets (committed when
         * a checkpoint completes) equal the end offsets. Then everything read is in completed files or about to be.
         */
        public void awaitCaughtUp(Duration timeout, Consumer<String> progress) throws InterruptedException {
            Map<Integer, Long> end = LabTopics.endOffsets(lab, job.topic());
            long deadline = System.nanoTime() + timeout.toNanos();
            long nextReport = System.nanoTime();
            while (true) {
                failIfEnded();
                Map<Integer, Long> committed;
                try {
                    committed = LabTopics.committedOffsets(lab, job.group(), job.topic());
                } catch (LabException e) {
                    committed = Map.of(); // a busy broker did not answer in time: ask again
                }
                if (committed.equals(end)) {
                    return;
                }
                if (System.nanoTime() > nextReport) {
                    progress.accept("committed " + committed + " of " + end);
                    nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                }
                if (System.nanoTime() > deadline) {
                    throw new LabException("the Flink job did not reach the end of " + job.topic() + " within " + timeout.toSeconds()
                            + " s (committed " + committed + ", end " + end + "): no checkpoint completes without "
                            + CHECKPOINT_INTERVAL + ", and offsets are committed only by checkpoints");
                }
                Thread.sleep(200);
            }
        }

        /**
         * Stops the job the way {@code flink stop} does: a last savepoint, which commits every file still pending, then
         * the job finishes. Returns where the savepoint is.
         */
        public String stop() {
            String dir = savepointDir(job);
            try {
                String savepoint = client.stopWithSavepoint(false, dir, SavepointFormatType.CANONICAL).get(120, TimeUnit.SECONDS);
                client.getJobExecutionResult().get(60, TimeUnit.SECONDS);
                return savepoint;
            } catch (Exception e) {
                throw new LabException("the Flink job did not stop with a savepoint: " + LabKafka.rootMessage(e), e);
            }
        }

        /** Cancels without a savepoint (what a crash looks like to the files: pending uploads stay incomplete). */
        public void cancel() {
            try {
                client.cancel().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new LabException("could not cancel the Flink job: " + LabKafka.rootMessage(e), e);
            }
        }

        private void failIfEnded() {
            JobStatus s = status();
            if (s.isGloballyTerminalState()) {
                String why = "";
                try {
                    client.getJobExecutionResult().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    Throwable t = e;
                    StringBuilder chain = new StringBuilder();
                    for (int depth = 0; t != null && depth < 12; t = t.getCause(), depth++) {
                        chain.append("\n  caused by ").append(t);
                    }
                    why = chain.toString();
                }
                throw new LabException("the Flink job ended (" + s + ") before it was done" + why);
            }
        }

        /** Cancels the job unless it has ended (stopped, failed, or its mini-cluster is gone). */
        @Override
        public void close() {
            try {
                if (!client.getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState()) {
                    client.cancel().get(60, TimeUnit.SECONDS);
                }
            } catch (Exception e) {
                // ended already: a finished job's mini-cluster shuts down and answers no more
            }
        }
    }

    /** The completed checkpoints in the job's checkpoint directory (every job there), oldest first. */
    public static List<Checkpoint> checkpoints(LabConfig lab, Job job) {
        String dir = job.settings().get(CHECKPOINT_DIR);
        if (dir == null) {
            return List.of(); // kept in the JobManager's memory: gone with it
        }
        S3CommitOnRestore.initialize(configuration(lab, job, null));
        List<Checkpoint> found = new ArrayList<>();
        try {
            Path root = new Path(dir);
            FileSystem fs = root.getFileSystem();
            if (!fs.exists(root)) {
                return found;
            }
            for (FileStatus jobDir : fs.listStatus(root)) {
                for (FileStatus chk : list(fs, jobDir.getPath())) {
                    String name = chk.getPath().getName();
                    if (!name.startsWith("chk-")) {
                        continue;
                    }
                    try {
                        FileStatus m = fs.getFileStatus(new Path(chk.getPath(), "_metadata"));
                        found.add(new Checkpoint(jobDir.getPath().getName(), Long.parseLong(name.substring(4)),
                                chk.getPath().toString(), m.getLen(), Instant.ofEpochMilli(m.getModificationTime())));
                    } catch (FileNotFoundException e) {
                        // not complete yet, or just subsumed by a newer one and deleted
                    }
                }
            }
        } catch (IOException e) {
            throw new LabException("could not list the checkpoints in " + dir + ": " + e.getMessage(), e);
        }
        found.sort(Comparator.comparing(Checkpoint::written).thenComparingLong(Checkpoint::id));
        return found;
    }

    private static FileStatus[] list(FileSystem fs, Path dir) throws IOException {
        try {
            FileStatus[] children = fs.listStatus(dir);
            return children == null ? new FileStatus[0] : children;
        } catch (FileNotFoundException e) {
            return new FileStatus[0]; // deleted meanwhile
        }
    }

    /** Kafka bytes to {@link Raw}, keeping where each record was and its headers. */
    private static final class RawRecords implements KafkaRecordDeserializationSchema<Raw> {
        private static final long serialVersionUID = 1L;

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Raw> out) {
            Raw raw = new Raw();
            raw.partition = record.partition();
            raw.offset = record.offset();
            raw.key = record.key();
            raw.value = record.value();
            Header[] headers = record.headers().toArray();
            raw.headerKeys = new String[headers.length];
            raw.headerValues = new byte[headers.length][];
            for (int i = 0; i < headers.length; i++) {
                raw.headerKeys[i] = headers[i].key();
                raw.headerValues[i] = headers[i].value();
            }
            out.collect(raw);
        }

        @Override
        public TypeInformation<Raw> getProducedType() {
            return TypeInformation.of(Raw.class);
        }
    }

    /** The course's one parse (lesson 05): an event becomes a row; anything else a dead letter, and the job goes on. */
    private static final class Parse extends ProcessFunction<Raw, EventParquet.Row> {
        private static final long serialVersionUID = 1L;

        @Override
        public void processElement(Raw raw, Context ctx, Collector<EventParquet.Row> out) {
            try {
                out.collect(new EventParquet.Row(MusicEvent.parse(raw.value), raw.partition, raw.offset));
            } catch (MalformedEventException e) {
                raw.error = e.getMessage();
                ctx.output(DEAD_LETTERS, raw);
            }
        }
    }

    /** A dead letter: the original key, bytes and headers, plus dlq.* headers saying why and from where (as lesson 06). */
    private static final class DeadLetterRecords implements KafkaRecordSerializationSchema<Raw> {
        private static final long serialVersionUID = 1L;
        private final String sourceTopic;
        private final String dlq;

        DeadLetterRecords(String sourceTopic, String dlq) {
            this.sourceTopic = sourceTopic;
            this.dlq = dlq;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(Raw raw, KafkaSinkContext context, Long timestamp) {
            RecordHeaders headers = new RecordHeaders();
            for (int i = 0; i < raw.headerKeys.length; i++) {
                headers.add(raw.headerKeys[i], raw.headerValues[i]);
            }
            headers.add("dlq.error", utf8(raw.error));
            headers.add("dlq.source.topic", utf8(sourceTopic));
            headers.add("dlq.source.partition", utf8(Integer.toString(raw.partition)));
            headers.add("dlq.source.offset", utf8(Long.toString(raw.offset)));
            return new ProducerRecord<>(dlq, null, null, raw.key, raw.value, headers);
        }

        private static byte[] utf8(String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** A job of its own JVM: the lesson's kill-and-restart, the tests, and {@code flink run} on a real cluster. */
    public static void main(String[] args) throws Exception {
        String topic = "music_events";
        String group = null;
        String bucket = null;
        int parallelism = 3;
        String restore = null;
        boolean stopWhenCaughtUp = false;
        String jobManager = null;
        String tasksKafka = null;
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--topic" -> topic = args[++i];
                case "--group" -> group = args[++i];
                case "--bucket" -> bucket = args[++i];
                case "--parallelism" -> parallelism = Integer.parseInt(args[++i]);
                case "--restore" -> restore = args[++i];
                case "--stop-when-caught-up" -> stopWhenCaughtUp = true;
                case "--jobmanager" -> jobManager = args[++i];
                case "--kafka" -> tasksKafka = args[++i];
                case "--set" -> {
                    String kv = args[++i];
                    settings.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        LabConfig lab = LabConfig.fromEnvironment();
        Job job = new Job(topic, group == null ? "flink-lake-" + topic : group, bucket == null ? lab.bucket() + "-flink" : bucket,
                parallelism, settings);
        if (jobManager != null) {
            LabConfig tasks = tasksKafka == null ? lab : lab.withKafka(tasksKafka, "--kafka");
            System.out.println("SUBMITTED " + submit(lab, tasks, job, jobManager) + " to " + jobManager);
            System.exit(0);
        }
        try (Running running = start(lab, job, restore)) {
            running.awaitRunning(Duration.ofMinutes(2));
            System.out.println("RUNNING " + running.jobId());
            if (stopWhenCaughtUp) {
                running.awaitCaughtUp(Duration.ofMinutes(10), line -> System.out.println("PROGRESS " + line));
                System.out.println("STOPPED savepoint " + running.stop());
            } else {
                while (!running.status().isGloballyTerminalState()) {
                    Thread.sleep(500);
                }
            }
        } catch (LabException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
        System.exit(0);
    }
}
