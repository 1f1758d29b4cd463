//SOURCES SinkRules.java LabS3.java ../events/EventParquet.java ../events/CanonicalEvent.java ../events/EventType.java ../events/MalformedEventException.java ../events/MusicEvent.java ../LabConfig.java ../LabException.java ../kafka/LabKafka.java
//COMPILE_OPTIONS -encoding UTF-8
import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.errors.ErrorResponseException;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteBufferDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Lesson 06's sink, the engine: {@code music_events} → Parquet objects in S3, exactly once, as you would run it in
 * production. The learner's parts ({@link SinkRules}: when to cut a batch, the folder, the name, the flush order, the
 * dead letter) are handed in; this class never names them. One loop on the consumer's thread:
 * <ol>
 *   <li><b>read</b>: poll, parse each record into an event (a message that does not parse becomes a dead letter);</li>
 *   <li><b>batch</b>: one open batch per partition, grouped by (event date, event type); cut it when the trigger says
 *       so, when it holds {@code maxObjectsPerBatch} groups, when the partition is taken away, and on stop;</li>
 *   <li><b>store</b>: a cut batch goes to a worker thread, which calls the learner's flush: store every object, await
 *       the dead letters, commit;</li>
 *   <li><b>commit</b>: back on the consumer's thread, the batches of a partition are committed in offset order, each
 *       only once the flush said so.</li>
 * </ol>
 *
 * <h2>Why nothing is lost or doubled, even with a crash or a second live writer</h2>
 * An object's key is a function of its rows (folder by event date and type, name by partition and first offset:
 * {@code .../music_events+0+1200.parquet}), so two writers of the same batch write the same keys with the same rows.
 * What can differ is where batches are cut: by size, but also by age (the wall clock), on stop, on a rebalance. So
 * <b>a cut is written down in Kafka before its batch is stored</b>: the sink commits the partition's committed offset
 * again (it does not move) with the list of cuts not yet committed as the commit's metadata, e.g.
 * {@code offset 1200, "cuts:1700,2200"}. Then it stores, then it commits the batch's end ({@code 1700, "cuts:2200"}).
 * <ul>
 *   <li><b>A crash</b> (or SIGKILL) anywhere: the next owner reads the committed offset and its cuts, and cuts its
 *       first batches exactly there. It writes the same objects under the same keys: whatever the crashed run had
 *       stored is overwritten with identical rows. Without the written cuts, a restart that cut elsewhere would leave
 *       the crashed run's objects next to its own: duplicates.</li>
 *   <li><b>A zombie</b>: an instance that stalls past {@code max.poll.interval.ms} (a GC pause, a laptop lid) loses
 *       its partitions to another instance, then wakes up and finishes its uploads. Kafka fences its commits (they
 *       carry the old group generation and are refused), so it cannot write down a new cut: every batch it can still
 *       be storing had its cut written down while it owned the partition, and the new owner replays exactly those
 *       cuts. The zombie's late PUTs rewrite what the new owner wrote, row for row. Before this, a zombie's smaller
 *       batch overwrote the new owner's bigger object of the same name: rows lost (SinkZombieTest).</li>
 *   <li><b>Commit after store</b>, in offset order: a committed offset never covers a row that is not in S3.</li>
 * </ul>
 * Honest limits: dead letters of a batch that is redone are sent again (at least once); a second consumer group (or a
 * group whose offsets were reset) writing the same lake cuts elsewhere: duplicates, which lesson 07's check reports.
 *
 * <h2>Why it is fast (docs/benchmarks.md has the figures)</h2>
 * The loop above used to do everything on one thread: parse, encode Parquet, PUT, wait, commit, then read on. Kafka's
 * own consumer fetches 10-30x faster than that. Now the consumer's thread only reads, parses (a streaming parser, no
 * tree per message) and batches; encoding and uploads run on {@code workers} threads while it keeps fetching. The
 * price is bounded by bytes, not records: an open batch is cut at {@code maxBatchBytes}, and when the batches being
 * stored hold {@code maxBytesInFlight} the consumer pauses its partitions (it keeps polling, so it stays in the group)
 * until they are committed. Offsets are still committed only after every object below them is stored.
 * <p>
 * Then the garbage: in a 128 MB heap the sink spent ~40% of its time in GC pauses, many of them started by arrays over
 * 512 KB (G1's "humongous" objects at that heap size). So it allocates little per record: values are read in place
 * (a view of the fetched bytes), an event in the course's own layout is copied from those bytes straight into its
 * Parquet rows ({@link CanonicalEvent}: no String per field), the rows' text is kept in 128 KB chunks, fetch responses
 * are 400 KB, and a file is uploaded from the buffer it was written to.
 */
public final class ParquetSinkEngine {
    /** How a sink runs. {@link #defaults} are the production-minded values; tests shorten the times. */
    public record Options(String topic, String group, String dlqTopic, int batchSize, long maxBatchBytes, Duration flushInterval,
                          int maxObjectsPerBatch, long maxBytesInFlight, int workers, Duration stopWhenIdle, Duration retryFor,
                          Duration progressEvery, Hooks hooks, Consumer<String> log) {
        public static Options defaults(String topic, String group) {
            return new Options(topic, group, topic + "_dlq", 10_000, 8L << 20, Duration.ofSeconds(30), 64, 16L << 20,
                    3, null, Duration.ofMinutes(5), Duration.ofSeconds(5), Hooks.NONE, System.out::println);
        }

        /** BATCH_SIZE: records per batch (per partition). */
        public Options batchSize(int n) {
            return new Options(topic, group, dlqTopic, n, maxBatchBytes, flushInterval, maxObjectsPerBatch, maxBytesInFlight, workers,
                    stopWhenIdle, retryFor, progressEvery, hooks, log);
        }

        /** Bytes (as read from Kafka) per open batch: what bounds the sink's memory, whatever the batch size. */
        public Options maxBatchBytes(long n) {
            return new Options(topic, group, dlqTopic, batchSize, n, flushInterval, maxObjectsPerBatch, maxBytesInFlight, workers,
                    stopWhenIdle, retryFor, progressEvery, hooks, log);
        }

        /** A batch whose first record has waited this long is cut, full or not. */
        public Options flushInterval(Duration d) {
            return new Options(topic, group, dlqTopic, batchSize, maxBatchBytes, d, maxObjectsPerBatch, maxBytesInFlight, workers,
                    stopWhenIdle, retryFor, progressEvery, hooks, log);
        }

        /** Objects (event date × type) per batch: a batch spanning thousands of dates must not make thousands of PUTs per commit. */
        public Options maxObjectsPerBatch(int n) {
            return new Options(topic, group, dlqTopic, batchSize, maxBatchBytes, flushInterval, n, maxBytesInFlight, workers,
                    stopWhenIdle, retryFor, progressEvery, hooks, log);
        }

        /** Bytes of cut batches not yet committed, above which the consumer pauses fetching. */
        public Options maxBytesInFlight(long n) {
            return new Options(topic, group, dlqTopic, batchSize, maxBatchBytes, flushInterval, maxObjectsPerBatch, n, workers,
                    stopWhenIdle, retryFor, progressEvery, hooks, log);
        }

        /** Threads encoding and uploading batches while the consumer reads on. */
        public Options workers(int n) {
            return new Options(topic, group, dlqTopic, batchSize, maxBatchBytes, flushInterval, maxObjectsPerBatch, maxBytesInFlight, n,
                    stopWhenIdle, retryFor, progressEvery, hooks, log);
        }

        /** Stop (after storing and committing) once nothing new arrived for this long; null runs until stopped. */
        public Options stopWhenIdle(Duration d) {
            return new Options(topic, group, dlqTopic, batchSize, maxBatchBytes, flushInterval, maxObjectsPerBatch, maxBytesInFlight, workers,
                    d, retryFor, progressEvery, hooks, log);
        }

        /** How long S3 or Kafka may not answer before the sink gives up (nothing unstored is committed). */
        public Options retryFor(Duration d) {
            return new Options(topic, group, dlqTopic, batchSize, maxBatchBytes, flushInterval, maxObjectsPerBatch, maxBytesInFlight, workers,
                    stopWhenIdle, d, progressEvery, hooks, log);
        }

        public Options progressEvery(Duration d) {
            return new Options(topic, group, dlqTopic, batchSize, maxBatchBytes, flushInterval, maxObjectsPerBatch, maxBytesInFlight, workers,
                    stopWhenIdle, retryFor, d, hooks, log);
        }

        public Options hooks(Hooks h) {
            return new Options(topic, group, dlqTopic, batchSize, maxBatchBytes, flushInterval, maxObjectsPerBatch, maxBytesInFlight, workers,
                    stopWhenIdle, retryFor, progressEvery, h, log);
        }

        public Options log(Consumer<String> l) {
            return new Options(topic, group, dlqTopic, batchSize, maxBatchBytes, flushInterval, maxObjectsPerBatch, maxBytesInFlight, workers,
                    stopWhenIdle, retryFor, progressEvery, hooks, l);
        }

        SinkRules.Limits limits() {
            return new SinkRules.Limits(batchSize, maxBatchBytes, flushInterval);
        }
    }

    /**
     * Points where a test (or a lesson) makes the sink crash or stall: throw {@link SimulatedCrash} from a hook and the
     * sink stops right there without committing anything more, like a process that is killed.
     */
    public interface Hooks {
        Hooks NONE = new Hooks() { };

        /** Just before an object is uploaded (on a worker thread). */
        default void beforeUpload(String key) { }

        /** Just before offsets are moved forward by a commit (on the consumer's thread). */
        default void beforeCommit(Map<TopicPartition, OffsetAndMetadata> offsets) { }

        /** After each poll's records were read into batches (on the consumer's thread). */
        default void afterRead(int records) { }

        /** A batch of offsets [start, end) was cut, holding this many objects (on the consumer's thread). */
        default void afterCut(TopicPartition tp, long start, long end, int objects) { }
    }

    /** What a hook throws to stop the sink as abruptly as a killed process (an Error: nothing catches it). */
    public static final class SimulatedCrash extends Error {
        private static final long serialVersionUID = 1L;

        public SimulatedCrash(String where) {
            super("simulated crash " + where);
        }
    }

    /** What the sink did, readable while it runs. */
    public static final class Stats {
        public final AtomicLong records = new AtomicLong();
        public final AtomicLong rows = new AtomicLong();
        public final AtomicLong files = new AtomicLong();
        public final AtomicLong bytesStored = new AtomicLong();
        public final AtomicLong deadLetters = new AtomicLong();
        public final AtomicLong commits = new AtomicLong();
        public final AtomicLong s3Retries = new AtomicLong();
        public final AtomicLong kafkaRetries = new AtomicLong();
        /** Cuts written down by a previous owner of a partition (a crashed run, a stalled instance) and replayed here. */
        public final AtomicLong replayedCuts = new AtomicLong();
        /** Commits Kafka refused because the partition had a new owner (this instance had stalled or been thrown out). */
        public final AtomicLong fencedCommits = new AtomicLong();
        /** Every partition this instance was given, over its life. */
        public final Set<Integer> partitions = Collections.synchronizedSet(new TreeSet<>());
    }

    /** At most this many cut batches per partition wait to be committed (their cuts must fit in a commit's metadata). */
    private static final int MAX_BATCHES_IN_FLIGHT = 32;
    /** The commit metadata's prefix: the cuts not yet committed, in offset order. */
    private static final String CUTS = "cuts:";
    /** A dead letter is cut to fit under the producer's default max.request.size (1 MB), with room for the batch's own bytes. */
    static final int MAX_DEAD_LETTER_BYTES = 1_000_000 + 16_384;
    private static final int MAX_HEADER_BYTES = 2_048;

    private final LabConfig lab;
    private final Options options;
    private final SinkRules rules;
    private final Stats stats = new Stats();
    private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();
    private final AtomicLong bytesInFlight = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stopRequested;
    private volatile boolean dead;
    private boolean closing;
    private long lastActivity;
    private int epochs;
    private PartitionState lastRead;
    /** Where the texts of the record being read lie in its bytes (the consumer's thread only). */
    private final CanonicalEvent.Spans spans = new CanonicalEvent.Spans();
    private final Set<TopicPartition> paused = new HashSet<>();
    private volatile KafkaConsumer<byte[], ByteBuffer> consumer;
    private MinioClient s3;
    private KafkaProducer<byte[], byte[]> dlq;
    private ExecutorService workers;

    public ParquetSinkEngine(LabConfig lab, Options options, SinkRules rules) {
        this.lab = lab;
        this.options = options;
        this.rules = rules;
    }

    public Stats stats() {
        return stats;
    }

    public Options options() {
        return options;
    }

    /** Asks the sink to stop: the open batches are stored and committed, then run() returns. Safe from any thread. */
    public void stop() {
        stopRequested = true;
        KafkaConsumer<byte[], ByteBuffer> c = consumer;
        if (c != null) {
            c.wakeup(); // the only consumer method that is safe to call from another thread
        }
    }

    /** The consumer's settings: a group, raw bytes, and no auto-commit (the sink commits after storing). */
    public static Properties consumerConfig(LabConfig lab, String group) {
        Properties props = lab.kafkaProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        // values read in place, a view of the fetched bytes: ByteArrayDeserializer copied every value into an array of
        // its own, ~15% of the sink's garbage (a dead letter, rare, copies its bytes)
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteBufferDeserializer.class.getName());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // the original relied on auto-commit: offsets moved on a timer, whether the file was written or not
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // a poll hands out all a fetch brought (~2,000 events per MB): the consumer sends its next fetch for a partition
        // only once that partition's buffered records are all handed out, so this fetch runs while we parse (500, the
        // default, left most of each MB waiting and the next fetch unsent)
        props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "20000");
        // a fetch response is read into one array; at the default 1 MB per partition (50 MB in all) that array is a
        // "humongous" object to G1 at a small heap (over half a 1 MB region), and each one started a GC cycle: at
        // 400 KB a response (~2,000 events, lz4) the sink's GC pauses halved (docs/benchmarks.md)
        props.putIfAbsent(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(400 * 1024));
        props.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(400 * 1024));
        return props;
    }

    /** The dead-letter producer: acknowledged by every replica, no duplicates from its own retries. */
    static Properties dlqProducerConfig(LabConfig lab) {
        Properties props = lab.kafkaProperties();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return props;
    }

    // ---- the loop ---------------------------------------------------------------------------------------------------

    /** Runs until stopped (or idle, when {@code stopWhenIdle} is set); returns what it did. */
    public Stats run() {
        AtomicInteger threads = new AtomicInteger();
        workers = Executors.newFixedThreadPool(Math.max(1, options.workers()), r -> {
            Thread t = new Thread(r, "sink-store-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try (MinioClient s3Client = LabS3.client(lab);
             KafkaProducer<byte[], byte[]> dlqProducer = new KafkaProducer<>(dlqProducerConfig(lab));
             KafkaConsumer<byte[], ByteBuffer> c = new KafkaConsumer<>(consumerConfig(lab, options.group()))) {
            this.s3 = s3Client;
            this.dlq = dlqProducer;
            ensureBucket();
            LabKafka.ensureTopic(lab, options.dlqTopic(), 1);
            this.consumer = c;
            if (stopRequested) {
                return stats;
            }
            c.subscribe(List.of(options.topic()), new Rebalance());
            try {
                loop(c);
                // stopped (Ctrl-C, stop() or idle): cut what is open, store, commit, then leave the group
                finish(partitions.keySet());
            } catch (Throwable t) {
                dead = true; // a crash: nothing more is committed, workers stop where they are (like a killed process)
                Throwable before = failure.get(); // read first: a worker interrupted below is part of this crash, not a cause
                workers.shutdownNow();
                awaitWorkers(); // like a killed process: no upload of this instance goes on after run() ends
                if (before != null && t != before) {
                    throwFailure(); // a worker's failure, thrown as itself even when it surfaced inside a rebalance callback
                }
                throw t;
            } finally {
                // close() calls onPartitionsRevoked: after a failure (or a simulated crash) nothing more may be flushed
                closing = true;
            }
        } catch (WakeupException e) {
            // stop() during ensureBucket/subscribe: nothing read, nothing to flush
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) { // only MinioClient.close() declares a checked exception
            throw new LabException("could not close the S3 client: " + LabKafka.rootMessage(e), e);
        } finally {
            this.consumer = null;
            workers.shutdownNow();
        }
        return stats;
    }

    private void loop(KafkaConsumer<byte[], ByteBuffer> c) {
        long lastProgress = System.nanoTime();
        long lastProgressRecords = 0;
        long nextProgress = System.nanoTime() + options.progressEvery().toNanos();
        while (!stopRequested) {
            backpressure(c);
            ConsumerRecords<byte[], ByteBuffer> records;
            try {
                // a short wait while batches are being stored, so their commits do not wait for the poll
                records = c.poll(Duration.ofMillis(storing() ? 5 : 200));
            } catch (WakeupException e) {
                break;
            }
            for (ConsumerRecord<byte[], ByteBuffer> record : records) {
                read(record); // 1. read, 2. batch (and cut when due)
                lastActivity = System.nanoTime();
            }
            cutByAge();
            options.hooks().afterRead(records.count());
            // 3. store and 4. commit: new cuts written down in Kafka, then their batches handed to the workers; and the
            // batches whose flush said so committed, in offset order
            sync();
            long now = System.nanoTime();
            if (now >= nextProgress) {
                options.log().accept(progressLine(c, now - lastProgress, stats.records.get() - lastProgressRecords));
                lastProgress = now;
                lastProgressRecords = stats.records.get();
                nextProgress = now + options.progressEvery().toNanos();
            }
            // idle = nothing new since the last record or the last assignment (never before the first assignment)
            if (options.stopWhenIdle() != null && lastActivity != 0 && bytesInFlight.get() == 0
                    && now - lastActivity > options.stopWhenIdle().toNanos()) {
                break;
            }
        }
    }

    /** Whether any batch is being stored or waits to be committed. */
    private boolean storing() {
        for (PartitionState ps : partitions.values()) {
            if (!ps.inFlight.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** One partition's state while this instance owns it. */
    private final class PartitionState {
        final TopicPartition tp;
        final int epoch;
        /** The last offset committed (-1: none yet). */
        long committed;
        /** Records read and not cut yet. */
        Batch open;
        /** Cut, not yet written down in Kafka. */
        final List<Batch> cut = new ArrayList<>();
        /** Written down and handed to a worker, not yet committed; in offset order. */
        final ArrayDeque<Batch> inFlight = new ArrayDeque<>();
        /** Cuts a previous owner wrote down and this one must cut at too, in offset order. */
        final ArrayDeque<Long> replay = new ArrayDeque<>();
        volatile boolean lost;

        PartitionState(TopicPartition tp, int epoch, long committed, List<Long> replay) {
            this.tp = tp;
            this.epoch = epoch;
            this.committed = committed;
            this.replay.addAll(replay);
        }

        /** "cuts:1700,2200": every cut not committed yet, this instance's and a previous owner's still to come. */
        String cutsMetadata() {
            StringBuilder sb = new StringBuilder(CUTS);
            for (Batch b : inFlight) {
                append(sb, b.end);
            }
            for (Batch b : cut) {
                append(sb, b.end);
            }
            for (long r : replay) {
                append(sb, r);
            }
            return sb.toString();
        }

        private void append(StringBuilder sb, long offset) {
            if (sb.length() > CUTS.length()) {
                sb.append(',');
            }
            sb.append(offset);
        }
    }

    /** The rows of one (event date, event type) in a batch: one object. */
    private static final class Group {
        final LocalDate date;
        final EventType type;
        final long firstOffset;
        final EventParquet.Rows rows = new EventParquet.Rows(); // column by column: no object per row to keep

        Group(LocalDate date, EventType type, long firstOffset) {
            this.date = date;
            this.type = type;
            this.firstOffset = firstOffset;
        }
    }

    /** The records of one partition in [start, end), grouped into objects. */
    private final class Batch implements SinkRules.OpenBatch {
        final PartitionState owner;
        final long start;
        long end;
        int records;
        long bytes;
        final long startedNanos = System.nanoTime();
        Map<Long, Group> groups = new LinkedHashMap<>();
        final List<Future<RecordMetadata>> deadLetters = new ArrayList<>();
        volatile boolean readyToCommit;
        volatile boolean done;
        private Map<Long, Group[]> byDay = new HashMap<>();
        long lastDay = Long.MIN_VALUE;
        Group[] lastDayGroups;

        /** The groups of one event date, indexed by event type id (the last date asked is kept at hand). */
        Group[] groupsOf(long day) {
            lastDayGroups = byDay.computeIfAbsent(day, d -> new Group[16]);
            lastDay = day;
            return lastDayGroups;
        }

        Batch(PartitionState owner, long start) {
            this.owner = owner;
            this.start = start;
            this.end = start;
        }

        @Override
        public int records() {
            return records;
        }

        @Override
        public long bytes() {
            return bytes;
        }

        @Override
        public Duration age() {
            return Duration.ofNanos(System.nanoTime() - startedNanos);
        }
    }

    /** Reads one record into its partition's open batch, cutting before or after it when due. */
    private void read(ConsumerRecord<byte[], ByteBuffer> record) {
        PartitionState ps = lastRead; // a poll's records come partition by partition: mostly the same as the last one
        if (ps == null || ps.tp.partition() != record.partition() || !ps.tp.topic().equals(record.topic()) || ps.lost) {
            ps = partitions.get(new TopicPartition(record.topic(), record.partition()));
            if (ps == null) {
                return; // a partition lost in this very poll
            }
            lastRead = ps;
        }
        long offset = record.offset();
        // a previous owner's cut at or before this record: its batch ends there (or had no records left: drop the cut)
        while (!ps.replay.isEmpty() && ps.replay.peek() <= offset) {
            long replayed = ps.replay.poll();
            if (ps.open != null) {
                cut(ps, replayed);
            }
        }
        if (ps.open == null) {
            ps.open = new Batch(ps, offset);
        }
        Batch b = ps.open;
        ByteBuffer value = record.value(); // in place: a view of the fetched bytes, read before the next poll
        int size = (record.key() == null ? 0 : record.key().length) + (value == null ? 0 : value.remaining());
        try {
            // an event as the course's producers write it is copied from its bytes into the rows, with no String made
            // (CanonicalEvent); anything else is parsed the careful way, which also says why a message is no event
            boolean canonical = value != null && value.hasArray() && CanonicalEvent.read(value.array(),
                    value.arrayOffset() + value.position(), value.arrayOffset() + value.limit(), spans);
            MusicEvent event = canonical ? null : MusicEvent.parse(bytes(value));
            EventType type = canonical ? spans.type : event.type();
            long day = Math.floorDiv(canonical ? spans.tsMs : event.tsMs(), 86_400_000L); // the event's date in UTC, as an epoch day
            Group[] ofDay = day == b.lastDay ? b.lastDayGroups : b.groupsOf(day); // one array of groups per date, by type id
            Group g = ofDay[type.id];
            if (g == null) {
                g = new Group(LocalDate.ofEpochDay(day), type, offset);
                ofDay[type.id] = g;
                b.groups.put(day * 16 + type.id, g);
            }
            if (canonical) {
                g.rows.add(value.array(), spans, record.partition(), offset);
            } else {
                g.rows.add(event, record.partition(), offset);
            }
        } catch (MalformedEventException e) {
            ConsumerRecord<byte[], byte[]> letter = withBytes(record); // the learner's rule and the letter get the bytes
            b.deadLetters.add(dlq.send(fit(rules.letter().deadLetter(letter, StrictJson.shown(e.getMessage(), 1_000), options.dlqTopic()), letter)));
            stats.deadLetters.incrementAndGet();
        }
        b.records++;
        b.bytes += size;
        b.end = offset + 1;
        stats.records.incrementAndGet();
        if (!ps.replay.isEmpty()) {
            if (ps.replay.peek() <= b.end) { // the previous owner's batch ends right after this record
                cut(ps, ps.replay.poll());
            }
        } else if (b.groups.size() >= options.maxObjectsPerBatch()
                || (ps.inFlight.size() + ps.cut.size() < MAX_BATCHES_IN_FLIGHT && rules.trigger().isDue(b, options.limits()))) {
            cut(ps, b.end);
        }
    }

    /** The learner's trigger, asked again for every open batch: a batch nobody adds to is cut by its age. */
    private void cutByAge() {
        for (PartitionState ps : partitions.values()) {
            Batch b = ps.open;
            if (b != null && ps.replay.isEmpty() && ps.inFlight.size() + ps.cut.size() < MAX_BATCHES_IN_FLIGHT
                    && rules.trigger().isDue(b, options.limits())) {
                cut(ps, b.end);
            }
        }
    }

    private void cut(PartitionState ps, long end) {
        Batch b = ps.open;
        ps.open = null;
        b.end = end;
        ps.cut.add(b);
        bytesInFlight.addAndGet(b.bytes);
        options.hooks().afterCut(ps.tp, b.start, b.end, b.groups.size());
    }

    /** Waits up to 10 s for the workers to stop after {@code shutdownNow} (an upload stops at its next I/O). */
    private void awaitWorkers() {
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A worker's job: the learner's flush order over this batch's steps. */
    private void flush(Batch b) {
        try {
            if (!dead && !b.owner.lost) {
                rules.order().flush(new BatchFlush(b));
            }
        } catch (Throwable t) {
            if (!dead) { // after a crash, an upload cut short by the interrupt is the crash itself, not a failure to report
                failure.compareAndSet(null, t);
            }
        } finally {
            b.groups = null; // the rows are stored (or given up): free them before the commit
            b.byDay = null;
            b.lastDayGroups = null;
            b.done = true;
            bytesInFlight.addAndGet(-b.bytes);
        }
    }

    /**
     * One commit for all this turn of the loop has to tell Kafka, per partition: the end of the batches whose flush
     * called commit() (in offset order: a batch waits for the ones before it), and, as the commit's metadata, every cut
     * not committed yet - the new ones written down before their batches are stored. Once Kafka has it, the new batches
     * go to the workers. A refused commit means another instance owns the partition now: the new batches are dropped
     * unstored, and reading starts again at the first of them in case the partition comes back to this instance. Then
     * the loop stops if a flush failed (what a flush committed before failing stays committed: it asked for it).
     */
    private void sync() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> moved = new HashMap<>();
        for (PartitionState ps : partitions.values()) {
            long end = -1;
            while (!ps.inFlight.isEmpty() && ps.inFlight.peek().readyToCommit) {
                end = ps.inFlight.poll().end;
            }
            if (end >= 0 || !ps.cut.isEmpty()) {
                long at = end >= 0 ? end : ps.committed >= 0 ? ps.committed : ps.cut.get(0).start;
                OffsetAndMetadata o = new OffsetAndMetadata(at, ps.cutsMetadata());
                offsets.put(ps.tp, o);
                if (end >= 0) {
                    moved.put(ps.tp, o);
                }
            }
        }
        if (!offsets.isEmpty()) {
            if (!moved.isEmpty()) {
                options.hooks().beforeCommit(moved);
            }
            if (commitSync(offsets, moved.isEmpty() ? "cuts" : "commit")) {
                stats.commits.addAndGet(moved.isEmpty() ? 0 : 1);
                for (TopicPartition tp : offsets.keySet()) {
                    PartitionState ps = partitions.get(tp);
                    ps.committed = offsets.get(tp).offset();
                    for (Batch b : ps.cut) {
                        ps.inFlight.add(b);
                        workers.execute(() -> flush(b));
                    }
                    ps.cut.clear();
                }
            } else {
                for (TopicPartition tp : offsets.keySet()) {
                    PartitionState ps = partitions.get(tp);
                    if (!ps.cut.isEmpty()) {
                        long from = ps.cut.get(0).start;
                        ps.cut.forEach(b -> bytesInFlight.addAndGet(-b.bytes));
                        ps.cut.clear();
                        ps.open = null;
                        if (consumer.assignment().contains(tp)) {
                            consumer.seek(tp, from);
                        }
                    }
                }
            }
        }
        throwFailure();
    }

    /** commitSync with retries while Kafka does not answer; false when Kafka refused it (the partitions have a new owner). */
    private boolean commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, String what) {
        try {
            retry(() -> what + " of " + describe(offsets), "Kafka at " + lab.kafkaBootstrap(), stats.kafkaRetries, () -> {
                consumer.commitSync(offsets, Duration.ofSeconds(10));
                return null;
            });
            return true;
        } catch (CommitFailedException | RebalanceInProgressException | FencedInstanceIdException e) {
            // the group moved on without us (we were too slow, or stalled): the new owner replays the cuts written down
            stats.fencedCommits.incrementAndGet();
            options.log().accept("[" + options.group() + "] " + what + " of " + describe(offsets) + " refused ("
                    + LabKafka.rootMessage(e) + "): the partition has a new owner, who redoes the batches from the written-down cuts");
            return false;
        }
    }

    private static String describe(Map<TopicPartition, OffsetAndMetadata> offsets) {
        List<String> parts = new ArrayList<>();
        offsets.forEach((tp, o) -> parts.add(tp + " at " + o.offset()));
        Collections.sort(parts);
        return String.join(", ", parts);
    }

    /** Pauses fetching while the batches being stored hold too many bytes (or a partition has too many of them). */
    private void backpressure(KafkaConsumer<byte[], ByteBuffer> c) {
        boolean full = bytesInFlight.get() >= options.maxBytesInFlight();
        Set<TopicPartition> shouldPause = new HashSet<>();
        for (PartitionState ps : partitions.values()) {
            if (full || ps.inFlight.size() >= MAX_BATCHES_IN_FLIGHT) {
                shouldPause.add(ps.tp);
            }
        }
        shouldPause.retainAll(c.assignment());
        if (!shouldPause.equals(paused)) {
            Set<TopicPartition> resume = new HashSet<>(paused);
            resume.removeAll(shouldPause);
            resume.retainAll(c.assignment());
            c.resume(resume);
            c.pause(shouldPause);
            paused.clear();
            paused.addAll(shouldPause);
        }
    }

    /**
     * Cuts the open batches of these partitions, stores and commits everything, and waits for it (stop, hand-over).
     * An open batch still replaying a previous owner's cut is not cut early: the next owner replays it from the cuts.
     */
    private void finish(Collection<TopicPartition> tps) {
        for (TopicPartition tp : tps) {
            PartitionState ps = partitions.get(tp);
            if (ps != null && ps.open != null) {
                if (ps.replay.isEmpty()) {
                    cut(ps, ps.open.end);
                } else {
                    ps.open = null;
                }
            }
        }
        sync();
        long deadline = System.nanoTime() + options.retryFor().toNanos() + TimeUnit.SECONDS.toNanos(30);
        for (;;) {
            sync();
            boolean storing = false;
            for (TopicPartition tp : tps) {
                PartitionState ps = partitions.get(tp);
                if (ps != null && !ps.lost && ps.inFlight.stream().anyMatch(b -> !b.done)) {
                    storing = true;
                }
            }
            if (!storing) {
                break; // every flush has returned (a batch whose flush never called commit() stays uncommitted)
            }
            if (System.nanoTime() > deadline) {
                options.log().accept("[" + options.group() + "] gave up waiting for the batches being stored; the next owner redoes them");
                break;
            }
            sleep(5);
        }
        sync();
    }

    /** How the group's rebalances reach the sink. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            if (closing || dead) {
                return;
            }
            // another instance takes these over: hand them on with everything read stored and committed
            finish(revoked);
            revoked.forEach(this::drop);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            // already someone else's: committing would be refused; the new owner replays from the committed cuts
            lost.forEach(this::drop);
        }

        private void drop(TopicPartition tp) {
            PartitionState ps = partitions.remove(tp);
            if (ps != null) {
                ps.lost = true;
                if (ps.open != null) {
                    ps.open = null;
                }
                ps.cut.forEach(b -> bytesInFlight.addAndGet(-b.bytes));
            }
            paused.remove(tp);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            if (assigned.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(assigned), Duration.ofSeconds(30));
            List<String> replaying = new ArrayList<>();
            for (TopicPartition tp : assigned) {
                OffsetAndMetadata c = committed.get(tp);
                List<Long> cuts = c == null ? List.of() : parseCuts(c.metadata(), c.offset());
                partitions.put(tp, new PartitionState(tp, ++epochs, c == null ? -1 : c.offset(), cuts));
                stats.partitions.add(tp.partition());
                stats.replayedCuts.addAndGet(cuts.size());
                if (!cuts.isEmpty()) {
                    replaying.add(tp.partition() + " from " + c.offset() + " cut at " + cuts);
                }
            }
            lastActivity = System.nanoTime();
            options.log().accept("[" + options.group() + "] assigned partitions "
                    + assigned.stream().map(TopicPartition::partition).sorted().toList());
            if (!replaying.isEmpty()) {
                options.log().accept("[" + options.group() + "] the previous owner's batches, redone as it cut them: partition "
                        + String.join("; partition ", replaying));
            }
        }
    }

    /** The cuts in a commit's metadata that lie beyond its offset ("cuts:1700,2200"); none when it is not ours. */
    static List<Long> parseCuts(String metadata, long offset) {
        List<Long> cuts = new ArrayList<>();
        if (metadata != null && metadata.startsWith(CUTS) && metadata.length() > CUTS.length()) {
            for (String s : metadata.substring(CUTS.length()).split(",")) {
                try {
                    long cut = Long.parseLong(s.trim());
                    if (cut > offset && (cuts.isEmpty() || cut > cuts.get(cuts.size() - 1))) {
                        cuts.add(cut);
                    }
                } catch (NumberFormatException e) {
                    return List.of(); // not written by this sink: ignore it all
                }
            }
        }
        return cuts;
    }

    // ---- the steps of a flush (worker threads) -----------------------------------------------------------------------

    private final class BatchFlush implements SinkRules.Flush {
        private final Batch batch;

        BatchFlush(Batch batch) {
            this.batch = batch;
        }

        @Override
        public void storeAll() {
            Map<Long, Group> groups = batch.groups;
            if (groups == null) {
                return;
            }
            String topic = batch.owner.tp.topic();
            int partition = batch.owner.tp.partition();
            for (Group g : groups.values()) {
                if (dead || batch.owner.lost) {
                    return; // crashed, or someone else's now: the new owner stores this batch itself
                }
                String key = rules.folder().folder(topic, g.date, g.type) + "/" + rules.name().fileName(topic, partition, g.firstOffset);
                store(key, g.rows);
            }
        }

        @Override
        public void awaitDeadLetters() {
            for (Future<RecordMetadata> f : batch.deadLetters) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LabException("interrupted while waiting for dead letters", e);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new LabException("a dead letter could not be written to " + options.dlqTopic() + " at "
                            + lab.kafkaBootstrap() + " (" + LabKafka.rootMessage(e) + "). Nothing was committed for it.", e);
                }
            }
        }

        @Override
        public void commit() {
            batch.readyToCommit = true;
        }
    }

    /** Encodes and uploads one object (retrying while S3 does not answer). The same key twice is an overwrite. */
    private void store(String key, EventParquet.Rows rows) {
        options.hooks().beforeUpload(key);
        EventParquet.FileBytes parquet = EventParquet.file(rows); // uploaded from where it was written: no copy of it
        retry(() -> "upload of " + key, "S3 at " + lab.s3Endpoint(), stats.s3Retries, () ->
                s3.putObject(PutObjectArgs.builder().bucket(lab.bucket()).object(key)
                        .stream(parquet.open(), parquet.size(), -1)
                        .contentType("application/vnd.apache.parquet").build()));
        stats.files.incrementAndGet();
        stats.rows.addAndGet(rows.size());
        stats.bytesStored.addAndGet(parquet.size());
    }

    /** A value's bytes (a copy: only a message that is not in the canonical layout, or no event, needs them). */
    private static byte[] bytes(ByteBuffer value) {
        if (value == null) {
            return null;
        }
        byte[] copy = new byte[value.remaining()];
        value.duplicate().get(copy);
        return copy;
    }

    /** The record with its value as bytes, as the dead-letter rule takes it. */
    private static ConsumerRecord<byte[], byte[]> withBytes(ConsumerRecord<byte[], ByteBuffer> r) {
        return new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.timestamp(), r.timestampType(), r.serializedKeySize(),
                r.serializedValueSize(), r.key(), bytes(r.value()), r.headers(), r.leaderEpoch());
    }

    // ---- dead letters that always fit ---------------------------------------------------------------------------------

    /**
     * The learner's dead letter, made to fit: a letter over {@link #MAX_DEAD_LETTER_BYTES} would be refused by the
     * producer (RecordTooLargeException) and the sink could never get past that offset. Long header values are cut to
     * 2 KB; then, if the value itself is still too big, only its first bytes are kept. Either way a header
     * {@code dlq.cut} says what was cut, and the source headers (topic, partition, offset) point at the whole message.
     */
    static ProducerRecord<byte[], byte[]> fit(ProducerRecord<byte[], byte[]> letter, ConsumerRecord<byte[], byte[]> source) {
        if (size(letter) <= MAX_DEAD_LETTER_BYTES) {
            return letter;
        }
        List<String> cuts = new ArrayList<>();
        List<Header> headers = new ArrayList<>();
        for (Header h : letter.headers()) {
            byte[] v = h.value();
            if (v != null && v.length > MAX_HEADER_BYTES) {
                cuts.add("header " + h.key() + ": kept the first " + MAX_HEADER_BYTES + " of " + v.length + " bytes");
                v = java.util.Arrays.copyOf(v, MAX_HEADER_BYTES);
            }
            headers.add(new RecordHeader(h.key(), v));
        }
        byte[] key = letter.key();
        byte[] value = letter.value();
        long rest = (key == null ? 0 : key.length) + headers.stream().mapToLong(h -> h.key().length() + (h.value() == null ? 0 : h.value().length)).sum();
        int room = (int) (MAX_DEAD_LETTER_BYTES - rest - 512);
        if (value != null && value.length > room) {
            cuts.add("value: kept the first " + room + " of " + value.length + " bytes");
            value = java.util.Arrays.copyOf(value, Math.max(0, room));
        }
        String where = source.topic() + " partition " + source.partition() + " offset " + source.offset();
        headers.add(new RecordHeader("dlq.cut", (String.join("; ", cuts) + "; the whole message is " + where).getBytes(StandardCharsets.UTF_8)));
        return new ProducerRecord<>(letter.topic(), letter.partition(), letter.timestamp(), key, value, headers);
    }

    private static long size(ProducerRecord<byte[], byte[]> r) {
        long n = (r.key() == null ? 0 : r.key().length) + (r.value() == null ? 0 : r.value().length);
        for (Header h : r.headers()) {
            n += h.key().length() + (h.value() == null ? 0 : h.value().length);
        }
        return n;
    }

    // ---- S3 and retries ---------------------------------------------------------------------------------------------

    private void ensureBucket() {
        retry(() -> "bucket " + lab.bucket(), "S3 at " + lab.s3Endpoint(), stats.s3Retries, () -> {
            if (!s3.bucketExists(BucketExistsArgs.builder().bucket(lab.bucket()).build())) {
                try {
                    s3.makeBucket(MakeBucketArgs.builder().bucket(lab.bucket()).build());
                    options.log().accept("[" + options.group() + "] created bucket " + lab.bucket() + " at " + lab.s3Endpoint());
                } catch (ErrorResponseException e) {
                    if (!"BucketAlreadyOwnedByYou".equals(e.errorResponse().code())) { // another instance was faster
                        throw e;
                    }
                }
            }
            return null;
        });
    }

    /**
     * Runs {@code action}; while it fails for a reason that may pass (a server down, a timeout), waits with
     * exponential backoff (0.2 s, 0.4 s ... at most 5 s) and tries again, logging each wait, for at most
     * {@code retryFor}. Then it gives up with an exception: the batch is not committed, a restart redoes it.
     */
    private <T> T retry(java.util.function.Supplier<String> what, String where, AtomicLong counter, Callable<T> action) {
        long deadline = System.nanoTime() + options.retryFor().toNanos();
        long backoffMs = 200;
                for (int attempt = 1; ; attempt++) {
            if (dead) {
                throw new LabException(what.get() + " abandoned: the sink has stopped");
            }
            try {
                return action.call();
            } catch (WakeupException e) {
                // stop() was called while we were not polling: we are stopping anyway, so finish this first
                attempt--;
                continue;
            } catch (CommitFailedException | RebalanceInProgressException | FencedInstanceIdException e) {
                throw e;
            } catch (Exception e) {
                String said = what.get(); // built only when something goes wrong
                if (!retriable(e)) {
                    throw new LabException(said + " failed at " + where + ": " + LabKafka.rootMessage(e), e);
                }
                if (System.nanoTime() + backoffMs * 1_000_000 > deadline) {
                    throw new LabException(said + " failed: " + where + " did not answer for " + options.retryFor().toSeconds()
                            + " s (" + LabKafka.rootMessage(e) + "). Nothing was committed for it: a restart redoes it.", e);
                }
                counter.incrementAndGet();
                options.log().accept(String.format("[%s] %s: %s does not answer (%s); retry %d in %.1f s",
                        options.group(), said, where, LabKafka.rootMessage(e), attempt, backoffMs / 1000.0));
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 5_000);
            }
        }
    }

    private static boolean retriable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ErrorResponseException r) {
                // a refusal (keys, permissions, no such bucket) does not pass by waiting; a server error may
                String code = r.errorResponse().code();
                return !(code.equals("AccessDenied") || code.equals("SignatureDoesNotMatch")
                        || code.equals("InvalidAccessKeyId") || code.equals("NoSuchBucket"));
            }
            if (t instanceof RetriableException || t instanceof ConnectException || t instanceof java.io.IOException
                    || t instanceof java.util.concurrent.TimeoutException || t instanceof io.minio.errors.ServerException) {
                return true;
            }
        }
        return e instanceof KafkaException && !(e instanceof CommitFailedException);
    }

    /** A failure of a worker (a crash hook, an unfinished exercise, S3 gone for good) stops the loop, as itself. */
    private void throwFailure() {
        Throwable t = failure.get();
        if (t == null) {
            return;
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new LabException("a batch could not be stored: " + LabKafka.rootMessage(t), t);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted", e);
        }
    }

    /** records/s over the last interval; lag as the consumer knows it from its last fetch. */
    private String progressLine(KafkaConsumer<byte[], ByteBuffer> c, long intervalNanos, long intervalRecords) {
        long lag = 0;
        for (TopicPartition tp : c.assignment()) {
            lag += c.currentLag(tp).orElse(0);
        }
        double seconds = Math.max(intervalNanos / 1e9, 0.001);
        return String.format("[%s] %,d records (%,.0f/s), %,d rows in %,d files, %,d dead letters, lag %,d, partitions %s",
                options.group(), stats.records.get(), intervalRecords / seconds, stats.rows.get(), stats.files.get(),
                stats.deadLetters.get(), lag, c.assignment().stream().map(TopicPartition::partition).sorted().toList());
    }
}
