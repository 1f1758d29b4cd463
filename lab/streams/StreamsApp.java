//SOURCES ClickstreamTopology.java TopTracksHttp.java ../LabConfig.java ../LabException.java ../kafka/LabKafka.java
//COMPILE_OPTIONS -encoding UTF-8
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlySessionStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * One running instance of lesson 11's application ({@link ClickstreamTopology}): a {@link KafkaStreams} with its
 * dead-letter producer, what it restored from changelog topics, and interactive queries of its local stores.
 * Start the same application (same application id) twice and the instances split the partitions between them.
 *
 * <p>{@link #main} runs one instance as a process of its own, for tests and lessons that kill it hard (SIGKILL).
 */
public final class StreamsApp implements AutoCloseable {

    /** One state store partition restored from its changelog topic. */
    public record Restore(String store, int partition, long records, long millis) {}

    /**
     * One instance: its name (client id and static group member id: unique within the application), its state
     * directory (RocksDB stores, under {@code .lab/} or a temp folder, never the course folder itself), its dead-letter
     * topic (null: bad messages are counted and skipped), the port of its interactive-query endpoint on 127.0.0.1
     * (null: none; 0: any free port) and any setting to change before the start (e.g. {@code commit.interval.ms}).
     */
    public record Instance(String name, Path stateDir, String deadLetterTopic, Integer httpPort, Consumer<Properties> settings) {
        public static Instance named(String name, Path stateDir) {
            return new Instance(name, stateDir, null, null, p -> { });
        }

        public Instance deadLetters(String topic) {
            return new Instance(name, stateDir, topic, httpPort, settings);
        }

        public Instance http(int port) {
            return new Instance(name, stateDir, deadLetterTopic, port, settings);
        }

        public Instance settings(Consumer<Properties> more) {
            Consumer<Properties> before = settings;
            return new Instance(name, stateDir, deadLetterTopic, httpPort, before.andThen(more));
        }
    }

    /** Tasks of this instance: task id -> the input partitions it reads, e.g. {@code 0_1 -> [music_events-1]}. */
    public record Assignment(Map<String, List<String>> active, Map<String, List<String>> standby) {
        @Override
        public String toString() {
            return "active " + active + (standby.isEmpty() ? "" : ", standby " + standby);
        }
    }

    private final KafkaStreams streams;
    private final String instance;
    private final ClickstreamTopology.Options options;
    private final LongAdder seen = new LongAdder();
    private final List<Restore> restores = new CopyOnWriteArrayList<>();
    private final Map<TopicPartition, Long> restoreStarts = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final KafkaProducer<byte[], byte[]> deadLetterProducer;
    private final TopTracksHttp http;

    private StreamsApp(LabConfig lab, ClickstreamTopology.Options options, ClickstreamTopology.Parts parts, Instance setup) {
        this.instance = setup.name();
        this.options = options;
        String deadLetterTopic = setup.deadLetterTopic();
        Properties props = ClickstreamTopology.settings(lab, options, parts, setup.stateDir(), instance);
        // static membership: the group knows this instance by name. A restarted instance takes its tasks back at once
        // (no wait for the old member's session to time out), and close() can take it out of the group at once.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), instance);
        // the endpoint is bound first: its address goes into the settings, so every instance can tell the others where it is
        http = setup.httpPort() == null ? null : TopTracksHttp.bind(setup.httpPort());
        if (http != null) {
            props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, http.hostAndPort());
        }
        setup.settings().accept(props);
        if (deadLetterTopic != null) {
            LabKafka.ensureTopic(lab, deadLetterTopic, 1);
            Properties p = lab.kafkaProperties();
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.CLIENT_ID_CONFIG, instance + "-dead-letters");
            deadLetterProducer = new KafkaProducer<>(p);
        } else {
            deadLetterProducer = null;
        }
        DeadLetters.register(instance, deadLetterProducer, deadLetterTopic);
        streams = new KafkaStreams(ClickstreamTopology.build(options, parts, seen), props);
        streams.setGlobalStateRestoreListener(new StateRestoreListener() {
            @Override
            public void onRestoreStart(TopicPartition tp, String store, long start, long end) {
                restoreStarts.put(tp, System.nanoTime());
            }

            @Override
            public void onBatchRestored(TopicPartition tp, String store, long batchEnd, long records) {
            }

            @Override
            public void onRestoreEnd(TopicPartition tp, String store, long total) {
                Long t0 = restoreStarts.remove(tp);
                restores.add(new Restore(store, tp.partition(), total, t0 == null ? 0 : (System.nanoTime() - t0) / 1_000_000));
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            failure.compareAndSet(null, e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    }

    /** Starts an instance of the application; its output topics are created first if missing (3 partitions). */
    public static StreamsApp start(LabConfig lab, ClickstreamTopology.Options options, ClickstreamTopology.Parts parts, Instance setup) {
        LabKafka.ensureTopic(lab, options.inputTopic(), 3);
        LabKafka.ensureTopic(lab, options.playsTopic(), 3);
        LabKafka.ensureTopic(lab, options.sessionsTopic(), 3);
        StreamsApp app = new StreamsApp(lab, options, parts, setup);
        app.streams.start();
        if (app.http != null) {
            app.http.serve(app);
        }
        return app;
    }

    /**
     * Where lessons keep Kafka Streams' state directories: {@code .lab/streams/} in the course folder (the folder with
     * jbang-catalog.json, found from the working directory up; git ignores {@code .lab/}), else a temp folder.
     */
    public static Path stateRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (java.nio.file.Files.exists(p.resolve("jbang-catalog.json"))) {
                return p.resolve(".lab").resolve("streams");
            }
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "kafka-in-practice-streams");
    }

    /** The interactive-query endpoint's address, e.g. {@code http://127.0.0.1:40123} (null without one). */
    public String httpUrl() {
        return http == null ? null : "http://" + http.hostAndPort();
    }

    /** Waits until the instance runs (its tasks assigned and restored); throws if it failed meanwhile. */
    public StreamsApp awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING || !restoreStarts.isEmpty()) {
            checkAlive();
            if (System.nanoTime() > deadline) {
                throw new LabException("Kafka Streams instance " + instance + " is still " + streams.state() + " after "
                        + timeout.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
        return this;
    }

    /** Throws when the instance stopped on an error (a stream thread died). */
    public void checkAlive() {
        Throwable t = failure.get();
        if (t != null || streams.state() == KafkaStreams.State.ERROR) {
            throw new LabException("Kafka Streams instance " + instance + " failed: " + (t == null ? streams.state() : LabKafka.rootMessage(t)), t);
        }
    }

    public KafkaStreams streams() {
        return streams;
    }

    public String instance() {
        return instance;
    }

    /** Events that reached the topology in this instance (bad messages never do). */
    public long seen() {
        return seen.sum();
    }

    /** Bad messages counted (and dead-lettered, if there is a dead-letter topic) by this instance. */
    public long deadLetters() {
        return DeadLetters.count(instance);
    }

    /** Records Kafka Streams dropped (metric dropped-records-total): too late for a closed window, and bad messages skipped. */
    public long droppedRecords() {
        double sum = 0;
        for (Map.Entry<MetricName, ? extends Metric> m : streams.metrics().entrySet()) {
            if (m.getKey().name().equals("dropped-records-total") && m.getKey().group().equals("stream-task-metrics")) {
                sum += ((Number) m.getValue().metricValue()).doubleValue();
            }
        }
        return (long) sum;
    }

    /** Store partitions restored from changelog topics since the start, in the order they finished. */
    public List<Restore> restores() {
        return List.copyOf(restores);
    }

    /** The tasks this instance runs now, with the partitions each reads. */
    public Assignment assignment() {
        Map<String, List<String>> active = new TreeMap<>();
        Map<String, List<String>> standby = new TreeMap<>();
        for (ThreadMetadata t : streams.metadataForLocalThreads()) {
            for (TaskMetadata task : t.activeTasks()) {
                active.put(task.taskId().toString(), partitions(task.topicPartitions()));
            }
            for (TaskMetadata task : t.standbyTasks()) {
                standby.put(task.taskId().toString(), partitions(task.topicPartitions()));
            }
        }
        return new Assignment(active, standby);
    }

    private List<String> partitions(Set<TopicPartition> tps) {
        // the application's own topics are long; show them by their role
        return tps.stream().map(tp -> tp.topic().replace(options.applicationId() + "-", "") + "-" + tp.partition())
                .sorted().toList();
    }

    /** Interactive query: every window of the local plays store, {@code track@windowStart -> plays}. */
    public Map<String, Long> localPlays() {
        Map<String, Long> all = new TreeMap<>();
        try (KeyValueIterator<Windowed<String>, Long> it = playsStore().all()) {
            it.forEachRemaining(kv -> all.put(ClickstreamTopology.windowKey(kv.key), kv.value));
        }
        return all;
    }

    /** The newest window start in the local plays store (null when it is empty). */
    public Instant newestWindow() {
        long newest = Long.MIN_VALUE;
        try (KeyValueIterator<Windowed<String>, Long> it = playsStore().all()) {
            while (it.hasNext()) {
                newest = Math.max(newest, it.next().key.window().start());
            }
        }
        return newest == Long.MIN_VALUE ? null : Instant.ofEpochMilli(newest);
    }

    /** Interactive query: the local store's tracks of the window starting at {@code windowStart}, most plays first. */
    public List<Map.Entry<String, Long>> topTracks(Instant windowStart, int n) {
        List<Map.Entry<String, Long>> tracks = new ArrayList<>();
        try (KeyValueIterator<Windowed<String>, Long> it = playsStore().fetchAll(windowStart, windowStart)) {
            it.forEachRemaining(kv -> tracks.add(Map.entry(kv.key.key(), kv.value)));
        }
        tracks.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
        return tracks.subList(0, Math.min(n, tracks.size()));
    }

    /** Interactive query: every session of the local session store, {@code user@start/end -> counts}. */
    public Map<String, SkipCounts> localSessions() {
        Map<String, SkipCounts> all = new LinkedHashMap<>();
        ReadOnlySessionStore<String, SkipCounts> store = streams.store(StoreQueryParameters.fromNameAndType(
                ClickstreamTopology.SESSIONS_STORE, QueryableStoreTypes.<String, SkipCounts>sessionStore()));
        // a session store is read by key or key range; user ids are UUIDs, so this range holds them all
        try (KeyValueIterator<Windowed<String>, SkipCounts> it = store.fetch("", "\uffff")) {
            it.forEachRemaining(kv -> all.put(ClickstreamTopology.sessionKey(kv.key), kv.value));
        }
        return all;
    }

    ReadOnlyWindowStore<String, Long> playsStore() {
        return streams.store(StoreQueryParameters.fromNameAndType(ClickstreamTopology.PLAYS_STORE,
                QueryableStoreTypes.<String, Long>windowStore()));
    }

    /** Stops the instance and takes it out of the group (a static member), so the others take its tasks over at once. */
    @Override
    public void close() {
        if (http != null) {
            http.close();
        }
        streams.close(new KafkaStreams.CloseOptions().leaveGroup(true).timeout(Duration.ofSeconds(30)));
        if (deadLetterProducer != null) {
            deadLetterProducer.close(Duration.ofSeconds(5));
        }
        DeadLetters.unregister(instance);
    }

    /**
     * Waits until the application (all its instances) has processed and committed everything in its input topic and
     * its repartition topics: its group's lag is 0 on each. Returns the time it took. {@code whileWaiting} runs on
     * every check (e.g. {@link #checkAlive}).
     */
    public static Duration awaitCaughtUp(LabConfig lab, String applicationId, String inputTopic, Duration timeout,
                                         Runnable whileWaiting) throws InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        try (Admin admin = LabKafka.admin(lab)) {
            while (true) {
                whileWaiting.run();
                long lag = lagOf(admin, applicationId, inputTopic);
                if (lag == 0) {
                    return Duration.ofNanos(System.nanoTime() - t0);
                }
                if (System.nanoTime() > deadline) {
                    throw new LabException("Application " + applicationId + " has not caught up with " + inputTopic + " after "
                            + timeout.toSeconds() + " s (lag " + lag + ")");
                }
                Thread.sleep(200);
            }
        }
    }

    /**
     * The application's group lag, summed over its input topic and its repartition topics ({@code <application
     * id>-...-repartition}: application ids that are prefixes of one another, like {@code a} and {@code a-b}, would
     * mix up here).
     */
    public static long lagOf(Admin admin, String applicationId, String inputTopic) {
        try {
            List<String> topics = new ArrayList<>();
            topics.add(inputTopic);
            admin.listTopics().names().get(15, TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith(applicationId + "-") && t.endsWith("-repartition")).forEach(topics::add);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get(15, TimeUnit.SECONDS).forEach((name, d) ->
                    d.partitions().forEach(p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                    .partitionsToOffsetAndMetadata().get(15, TimeUnit.SECONDS);
            long lag = 0;
            for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e
                    : admin.listOffsets(latest).all().get(15, TimeUnit.SECONDS).entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                lag += e.getValue().offset() - (c == null ? 0 : c.offset());
            }
            return lag;
        } catch (ExecutionException | TimeoutException e) {
            throw new LabException("Could not read the lag of " + applicationId + " at " + LabKafka.rootMessage(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while reading the lag of " + applicationId, e);
        }
    }

    /**
     * One instance as a process of its own. Prints one line per event worth knowing ({@code RUNNING}, {@code RESTORED
     * store partition records ms}, {@code PROGRESS seen=N}) and stops cleanly on a line {@code stop} (or end of input).
     * The learner's parts are named by class on the command line, so this lab class names none of them:
     * <pre>
     *   java -cp ... StreamsApp &lt;input&gt; &lt;application id&gt; &lt;state dir&gt; &lt;instance&gt; &lt;extractor&gt; &lt;count&gt;
     *        &lt;sessions&gt; &lt;guarantee class, or at_least_once&gt; [setting=value ...]
     * </pre>
     * Endpoints come from the environment like every lesson ({@code KAFKA_BOOTSTRAP_SERVERS}, ...).
     */
    public static void main(String[] args) throws Exception {
        LabConfig lab = LabConfig.fromEnvironment();
        ClickstreamTopology.Options options = ClickstreamTopology.Options.defaults(args[0], args[1]);
        ClickstreamTopology.Parts parts = new ClickstreamTopology.Parts(
                (org.apache.kafka.streams.processor.TimestampExtractor) make(args[4]),
                (ClickstreamTopology.WindowedCount) make(args[5]),
                (ClickstreamTopology.SessionSkips) make(args[6]),
                args[7].equals("at_least_once") ? ClickstreamTopology.AT_LEAST_ONCE : (ClickstreamTopology.Guarantee) make(args[7]));
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 8; i < args.length; i++) {
            settings.put(args[i].substring(0, args[i].indexOf('=')), args[i].substring(args[i].indexOf('=') + 1));
        }
        try (StreamsApp app = start(lab, options, parts, Instance.named(args[3], Path.of(args[2])).settings(p -> p.putAll(settings)))) {
            Thread stdin = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null && !line.trim().equals("stop")) {
                        // wait for "stop"
                    }
                } catch (Exception e) {
                    // end of input: stop as well
                }
            }, "stdin");
            stdin.setDaemon(true);
            stdin.start();
            app.awaitRunning(Duration.ofSeconds(120));
            System.out.println("RUNNING " + app.assignment());
            int reported = 0;
            while (stdin.isAlive()) {
                app.checkAlive();
                List<Restore> r = app.restores();
                for (; reported < r.size(); reported++) {
                    Restore x = r.get(reported);
                    System.out.printf("RESTORED %s %d %d %d%n", x.store(), x.partition(), x.records(), x.millis());
                }
                System.out.println("PROGRESS seen=" + app.seen());
                System.out.flush();
                Thread.sleep(200);
            }
        }
        System.out.println("STOPPED");
    }

    private static Object make(String className) throws ReflectiveOperationException {
        return Class.forName(className).getDeclaredConstructor().newInstance();
    }
}
