import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.minio.BucketExistsArgs;
import io.minio.MinioClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lesson 06: Kafka → Parquet in S3, the engine with the solved parts (each exercise's own test is in
 * src/test/java/exercises/06_s3_sink/). Every produced event lands exactly once, under its own event date and type,
 * with one schema; stop stores and commits the open batch; instances split partitions; S3 going away is retried and
 * nothing unstored is committed; a dead letter always fits; a batch spanning many dates is cut into few-object batches.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class Lesson06S3SinkTest {
    /** 50 s before midnight UTC, so the events of a run fall on two dates. */
    private static final long BEFORE_MIDNIGHT = Instant.parse("2026-11-23T23:59:10Z").toEpochMilli();
    private static LabConfig lab;

    @BeforeAll
    static void lab() {
        lab = TestLab.config().withBucket(TestLab.unique("lake06")); // the first sink of the class creates it
    }

    private static ParquetSinkEngine.Options options(String topic, String group) {
        return ParquetSinkEngine.Options.defaults(topic, group)
                .batchSize(250)
                .flushInterval(Duration.ofSeconds(20))
                .stopWhenIdle(Duration.ofSeconds(2))
                .retryFor(Duration.ofSeconds(20))
                .progressEvery(Duration.ofMinutes(1))
                .log(line -> System.out.println("  [sink] " + line));
    }

    @Test
    void everyEventLandsExactlyOnceUnderItsEventDateAndTypeWithOneSchema() throws Exception {
        String topic = TestLab.unique("music_events");
        String group = TestLab.unique("sink06");
        LabConfig lab = Lesson06S3SinkTest.lab.withBucket(TestLab.unique("new06")); // a bucket nobody made: the sink creates it
        List<MusicEvent> produced = produce(lab, topic, 3, 1500, 1);
        try (MinioClient s3 = LabS3.client(lab)) {
            assertThat(s3.bucketExists(BucketExistsArgs.builder().bucket(lab.bucket()).build())).as("bucket before the sink").isFalse();
        }

        ParquetSinkEngine.Stats stats = ParquetSink.create(lab, options(topic, group)).run();

        Map<String, List<EventParquet.Row>> lake = lake(lab, topic);
        List<EventParquet.Row> rows = lake.values().stream().flatMap(List::stream).toList();
        assertThat(rows).as("rows in the lake: one per produced event").hasSize(produced.size());
        assertThat(positions(rows)).as("each (partition, offset) exactly once").hasSize(produced.size())
                .isEqualTo(positions(LabTopics.readAll(lab, topic, Duration.ofSeconds(20))));
        assertThat(rows.stream().map(EventParquet.Row::event).toList()).as("the events, as produced")
                .containsExactlyInAnyOrderElementsOf(produced);
        lake.forEach((key, objectRows) -> {
            Lake.Key k = Lake.parse(key, 0);
            assertThat(k).as("object name %s: <topic>/event_date=.../event_type=.../<topic>+<partition>+<firstOffset>.parquet", key).isNotNull();
            assertThat(objectRows).as("rows of %s", key).allSatisfy(r -> {
                assertThat(r.event().eventDate()).as("event date of a row in %s (the event's time, UTC)", key).isEqualTo(k.eventDate());
                assertThat(r.event().type().nameEn).as("event type of a row in %s", key).isEqualTo(k.eventType());
                assertThat(r.kafkaPartition()).as("partition of a row in %s", key).isEqualTo(k.partition());
            });
            assertThat(objectRows.get(0).kafkaOffset()).as("%s is named after its first row's offset", key).isEqualTo(k.firstOffset());
        });
        assertThat(lake.keySet().stream().map(k -> Lake.parse(k, 0).eventDate()).distinct().count())
                .as("dates in the lake (the events cross midnight)").isEqualTo(2);
        try (MinioClient s3 = LabS3.client(lab)) {
            for (String key : lake.keySet()) {
                assertThat(EventParquet.footer(Lake.get(s3, lab.bucket(), key)).schema()).as("schema of %s", key).isEqualTo(EventParquet.SCHEMA);
            }
        }
        assertThat(committed(lab, group, topic)).as("committed offsets = end offsets").isEqualTo(endOffsets(lab, topic));
        assertThat(stats.files.get()).as("files written (stats)").isEqualTo(lake.size());
    }

    @Test
    void stopFlushesAndCommitsTheOpenBatchLikeCtrlC() throws Exception {
        String topic = TestLab.unique("music_events");
        String group = TestLab.unique("sink06");
        LabKafka.ensureTopic(lab, topic, 2);
        ParquetSinkEngine sink = ParquetSink.create(lab, options(topic, group).batchSize(10_000).flushInterval(Duration.ofMinutes(5)).stopWhenIdle(null));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread running = new Thread(() -> {
            try {
                sink.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "sink-under-test");
        running.start();
        produce(lab, topic, 2, 40, 8);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (sink.stats().records.get() < 40 && running.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(sink.stats().files.get()).as("files before the stop (no batch was due)").isZero();
        sink.stop(); // what the shutdown hook does on Ctrl-C
        running.join(20_000);
        if (failure.get() != null) {
            throw new AssertionError("the sink failed: " + failure.get().getMessage(), failure.get());
        }
        assertThat(running.isAlive()).as("the sink returned after stop()").isFalse();
        assertThat(lake(lab, topic).values().stream().mapToInt(List::size).sum()).as("rows stored on stop").isEqualTo(40);
        assertThat(committed(lab, group, topic)).as("committed on stop").isEqualTo(endOffsets(lab, topic));
    }

    @Test
    void instancesInOneGroupSplitThePartitions() throws Exception {
        String topic = TestLab.unique("music_events");
        String group = TestLab.unique("sink06");
        LabKafka.ensureTopic(lab, topic, 4);
        List<ParquetSinkEngine> sinks = List.of(ParquetSink.create(lab, options(topic, group).stopWhenIdle(Duration.ofSeconds(4))),
                ParquetSink.create(lab, options(topic, group).stopWhenIdle(Duration.ofSeconds(4))));
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        for (ParquetSinkEngine sink : sinks) {
            Thread t = new Thread(() -> {
                try {
                    sink.run();
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            t.start();
            threads.add(t);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (sinks.stream().anyMatch(s -> s.stats().partitions.isEmpty()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(500); // let the rebalance that gave the second instance its partitions settle
        List<MusicEvent> produced = produce(lab, topic, 4, 2000, 6);
        for (Thread t : threads) {
            t.join(40_000);
        }
        assertThat(failures).as("sink failures").isEmpty();
        for (ParquetSinkEngine sink : sinks) {
            assertThat(sink.stats().records.get()).as("records read by each instance (they split the partitions)").isPositive();
        }
        assertThat(sinks.stream().mapToLong(s -> s.stats().records.get()).sum()).as("records read by both together").isEqualTo(produced.size());
        List<EventParquet.Row> rows = lake(lab, topic).values().stream().flatMap(List::stream).toList();
        assertThat(positions(rows)).as("each (partition, offset) once, across both instances").hasSize(produced.size());
        assertThat(rows).as("rows from both instances").hasSize(produced.size());
    }

    @Test
    void s3GoingAwayIsRetriedWithBackoffAndNothingUnstoredIsCommitted() throws Exception {
        Path folder = Files.createTempDirectory("lesson06-s3");
        EmbeddedS3 first = EmbeddedS3.start(0, LabConfig.DEFAULT_S3_ACCESS_KEY, LabConfig.DEFAULT_S3_SECRET_KEY, folder);
        int port = Integer.parseInt(first.endpoint().substring(first.endpoint().lastIndexOf(':') + 1));
        AtomicReference<EmbeddedS3> current = new AtomicReference<>(first);
        LabConfig own = lab.withS3(first.endpoint(), LabConfig.DEFAULT_S3_ACCESS_KEY, LabConfig.DEFAULT_S3_SECRET_KEY, "test")
                .withBucket(TestLab.unique("down06"));
        String topic = TestLab.unique("music_events");
        String group = TestLab.unique("sink06");
        List<MusicEvent> produced = produce(own, topic, 1, 800, 7);
        AtomicInteger uploads = new AtomicInteger();
        List<String> unstoredCommits = Collections.synchronizedList(new ArrayList<>());
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        try {
            ParquetSinkEngine sink = ParquetSink.create(own, options(topic, group).log(log::add).hooks(new ParquetSinkEngine.Hooks() {
                @Override
                public void beforeUpload(String key) {
                    if (uploads.incrementAndGet() == 3) { // S3 goes away for ~2 s in the middle of a batch
                        current.get().close();
                        Thread restart = new Thread(() -> {
                            try {
                                Thread.sleep(2000);
                                current.set(EmbeddedS3.start(port, LabConfig.DEFAULT_S3_ACCESS_KEY, LabConfig.DEFAULT_S3_SECRET_KEY, folder));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
                        restart.start();
                    }
                }

                @Override
                public void beforeCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
                    // everything below the offset about to be committed must be in the lake already
                    Set<Long> stored = new HashSet<>();
                    lake(own, topic).values().forEach(rs -> rs.forEach(r -> stored.add(r.kafkaOffset())));
                    offsets.forEach((tp, o) -> {
                        for (long i = 0; i < o.offset(); i++) {
                            if (!stored.contains(i)) {
                                unstoredCommits.add(tp + "@" + i);
                                return;
                            }
                        }
                    });
                }
            }));
            ParquetSinkEngine.Stats stats = sink.run();
            assertThat(stats.s3Retries.get()).as("retries while S3 was away").isPositive();
            assertThat(log).as("log lines").anySatisfy(l -> assertThat(l).contains("S3 at " + own.s3Endpoint()).contains("retry"));
            assertThat(unstoredCommits).as("offsets committed before their rows were stored").isEmpty();
            List<EventParquet.Row> rows = lake(own, topic).values().stream().flatMap(List::stream).toList();
            assertThat(rows).as("rows once S3 is back").hasSize(produced.size());
            assertThat(positions(rows)).as("each offset once").hasSize(produced.size());
        } finally {
            EmbeddedS3 s3 = current.get();
            if (s3 != null) {
                s3.close();
            }
        }
    }

    @Test
    void aCrashWhileAnotherBatchIsUploadingEndsTheSinkAsThatCrash() throws Exception {
        // lesson 06's crash step ended once with "upload ... failed at S3: InterruptedException" instead of the crash:
        // the workers stopped by the crash reported their cut-short uploads as the sink's failure
        String topic = TestLab.unique("music_events");
        produce(lab, topic, 1, 1_000, 17);
        CountDownLatch uploading = new CountDownLatch(1);
        ParquetSinkEngine sink = ParquetSink.create(lab, options(topic, TestLab.unique("sink06")).workers(2)
                .hooks(new ParquetSinkEngine.Hooks() {
                    @Override
                    public void beforeUpload(String key) {
                        long first = Long.parseLong(key.substring(key.lastIndexOf('+') + 1, key.lastIndexOf(".parquet")));
                        if (first >= 250) { // a later batch: still uploading when the first commit crashes the sink
                            uploading.countDown();
                            try {
                                Thread.sleep(30_000);
                            } catch (InterruptedException e) {
                                throw new LabException("upload of " + key + " failed at S3: InterruptedException", e);
                            }
                        }
                    }

                    @Override
                    public void beforeCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
                        try {
                            uploading.await(20, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        throw new ParquetSinkEngine.SimulatedCrash("at the first commit, another batch mid-upload");
                    }
                }));
        assertThatThrownBy(sink::run).as("what run() ends with when a hook crashes it while a worker is uploading")
                .isInstanceOf(ParquetSinkEngine.SimulatedCrash.class);
        assertThat(uploading.getCount()).as("a later batch was uploading at the crash").isZero();
    }

    @Test
    void aDeadLetterAlwaysFitsEvenForAHugeMessage() throws Exception {
        String topic = TestLab.unique("music_events");
        String group = TestLab.unique("sink06");
        LabKafka.ensureTopic(lab, topic, 1);
        String event = new Clickstream(5).next().toJson();
        // an event_type of 700 KB that contradicts the id: its reason used to echo it, and value + reason (1.4 MB) was
        // a dead letter the producer refused, so the sink could never get past that offset
        byte[] hugeType = event.replaceFirst("\"event_type\":\"[a-z_]+\"", "\"event_type\":\"" + "x".repeat(700_000) + "\"")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tooBig = new byte[1_040_000]; // fits in a Kafka record, not with a dead letter's headers on top
        java.util.Arrays.fill(tooBig, (byte) '7');
        Clickstream stream = new Clickstream(6);
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            values.add(i == 40 ? hugeType : i == 80 ? tooBig : stream.next().toBytes());
        }
        TestTopics.produceRaw(lab, topic, values);

        ParquetSinkEngine.Stats stats = ParquetSink.create(lab, options(topic, group).batchSize(50)).run();

        assertThat(stats.deadLetters.get()).as("dead letters").isEqualTo(2);
        assertThat(committed(lab, group, topic)).as("the sink went past both").isEqualTo(endOffsets(lab, topic));
        assertThat(lake(lab, topic).values().stream().mapToInt(List::size).sum()).as("valid events in the lake").isEqualTo(118);
        Map<Long, ConsumerRecord<byte[], byte[]>> letters = new HashMap<>();
        readAllBytes(lab, topic + "_dlq").forEach(l -> letters.put(Long.parseLong(headerOf(l, "dlq.source.offset")), l));
        assertThat(letters.keySet()).as("source offsets of the dead letters").containsExactlyInAnyOrder(40L, 80L);
        assertThat(letters.get(40L).value()).as("the 700 KB message's dead letter keeps its bytes").isEqualTo(hugeType);
        assertThat(headerOf(letters.get(40L), "dlq.error").length()).as("length of its error header").isLessThan(2_100);
        ConsumerRecord<byte[], byte[]> cut = letters.get(80L);
        assertThat(headerOf(cut, "dlq.cut")).as("what was cut from the 1,040,000-byte message's dead letter, and where it is whole")
                .contains("of 1040000 bytes").contains(topic + " partition 0 offset 80");
        assertThat(tooBig).as("the dead letter keeps the beginning of the message").startsWith(cut.value());
    }

    @Test
    void aBatchSpanningHundredsOfDatesIsCutIntoBatchesOfFewObjects() throws Exception {
        String topic = TestLab.unique("music_events");
        String group = TestLab.unique("sink06");
        LabKafka.ensureTopic(lab, topic, 1);
        Clickstream stream = new Clickstream(7);
        List<byte[]> values = new ArrayList<>();
        long day = 86_400_000L;
        for (int i = 0; i < 640; i++) { // each event on a day of its own: one object each
            MusicEvent e = stream.next();
            values.add(new MusicEvent(e.type(), e.userId(), e.platformToken(), e.ipv4(), e.country(), e.uuidTrack(), e.uuidTrackPrev(),
                    e.uuidTrackCurrent(), e.uuidPlaylist(), e.uuidTrackLikeStatus(), Instant.parse("2020-01-01T12:00:00Z").toEpochMilli() + i * day)
                    .toBytes());
        }
        TestTopics.produceRaw(lab, topic, values);
        List<long[]> cuts = Collections.synchronizedList(new ArrayList<>());

        ParquetSink.create(lab, options(topic, group).batchSize(10_000).hooks(new ParquetSinkEngine.Hooks() {
            @Override
            public void afterCut(TopicPartition tp, long start, long end, int objects) {
                cuts.add(new long[] {start, end, objects});
            }
        })).run();

        assertThat(cuts).as("batches cut (start, end, objects)").allSatisfy(c -> assertThat(c[2])
                .as("objects (PUTs before one commit) in the batch [%d, %d)", c[0], c[1]).isLessThanOrEqualTo(64));
        assertThat(cuts.size()).as("batches for 640 one-object events at 64 objects a batch").isGreaterThanOrEqualTo(10);
        assertThat(lake(lab, topic).values().stream().mapToInt(List::size).sum()).as("rows in the lake").isEqualTo(640);
        assertThat(committed(lab, group, topic)).as("committed = end offsets").isEqualTo(endOffsets(lab, topic));
    }

    @Test
    void everyOffsetOfTheHostileCorpusIsALakeRowOrADeadLetter() throws Exception {
        String topic = TestLab.unique("hostile");
        String group = TestLab.unique("sink06");
        List<HostileCorpus.Placed> placed = HostileCorpus.writeMixed(lab, topic, 600, 17); // every kind, among valid events, 3 partitions

        ParquetSinkEngine.Stats stats = ParquetSink.create(lab, options(topic, group).batchSize(100)).run();

        Map<String, EventParquet.Row> rows = new HashMap<>();
        lake(lab, topic).values().forEach(rs -> rs.forEach(r -> rows.merge(r.kafkaPartition() + "@" + r.kafkaOffset(), r, (a, b) -> {
            throw new AssertionError("offset " + a.kafkaPartition() + "@" + a.kafkaOffset() + " twice in the lake");
        })));
        Map<String, ConsumerRecord<byte[], byte[]>> letters = new HashMap<>();
        readAllBytes(lab, topic + "_dlq").forEach(l -> letters.put(headerOf(l, "dlq.source.partition") + "@" + headerOf(l, "dlq.source.offset"), l));
        List<String> wrong = new ArrayList<>();
        for (HostileCorpus.Placed p : placed) {
            String at = p.partition() + "@" + p.offset();
            EventParquet.Row row = rows.get(at);
            ConsumerRecord<byte[], byte[]> letter = letters.get(at);
            if (p.valid() && (row == null || !row.event().equals(p.expected()) || letter != null)) {
                wrong.add(p.describe() + ": valid, but " + (row == null ? "no lake row" : letter != null ? "also a dead letter" : "a different row"));
            } else if (!p.valid() && (letter == null || row != null)) {
                wrong.add(p.describe() + ": invalid, but " + (letter == null ? "no dead letter" : "a lake row"));
            } else if (!p.valid() && headerOf(letter, "dlq.cut") == null && !java.util.Arrays.equals(letter.value(), p.value())) {
                wrong.add(p.describe() + ": its dead letter lost its bytes without saying so");
            }
        }
        assertThat(wrong).as("offsets that are not exactly one lake row (valid) or one dead letter (invalid)").isEmpty();
        assertThat(rows).as("lake rows: the valid messages and nothing else").hasSize((int) placed.stream().filter(HostileCorpus.Placed::valid).count());
        assertThat(stats.deadLetters.get()).as("dead letters").isEqualTo(placed.stream().filter(p -> !p.valid()).count());
        assertThat(committed(lab, group, topic)).as("committed = end offsets: the sink got through all of it").isEqualTo(endOffsets(lab, topic));
    }

    // --- helpers: what the test sees, read independently of the sink ---------------------------------------

    /** Produces n events keyed by user (so they spread over the partitions), with event times crossing midnight UTC. */
    static List<MusicEvent> produce(LabConfig lab, String topic, int partitions, int n, long seed) {
        LabKafka.ensureTopic(lab, topic, partitions);
        Clickstream stream = new Clickstream(seed, 300, 200, BEFORE_MIDNIGHT);
        List<MusicEvent> events = new ArrayList<>();
        List<Map.Entry<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            MusicEvent e = stream.next();
            events.add(e);
            records.add(Map.entry(e.userId(), e.toBytes()));
        }
        send(lab, topic, records);
        return events;
    }

    /**
     * Sends and waits for every acknowledgement. Waits for the new topic's leaders first, and sends without
     * idempotence (one request in flight, so retries keep the order): an idempotent producer that hits a
     * just-created partition before its leader is ready can get stuck retrying OUT_OF_ORDER_SEQUENCE_NUMBER.
     */
    static void send(LabConfig lab, String topic, List<Map.Entry<String, byte[]>> records) {
        Properties props = lab.kafkaProperties();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000"); // >= linger + request timeout
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (producer.partitionsFor(topic).stream().anyMatch(p -> p.leader() == null || p.leader().isEmpty())
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
            for (Map.Entry<String, byte[]> r : records) {
                acks.add(producer.send(new ProducerRecord<>(topic, r.getKey(), r.getValue())));
            }
            for (java.util.concurrent.Future<?> ack : acks) {
                ack.get(40, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not produce the test's records to " + topic + ": " + e, e);
        }
    }

    /** Every object under the topic's prefix, key to rows. */
    static Map<String, List<EventParquet.Row>> lake(LabConfig lab, String topic) {
        Map<String, List<EventParquet.Row>> objects = new HashMap<>();
        try (MinioClient s3 = LabS3.client(lab)) {
            for (Lake.Key key : Lake.list(s3, lab.bucket(), topic + "/")) {
                objects.put(key.key(), EventParquet.read(Lake.get(s3, lab.bucket(), key.key())));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return objects;
    }

    private static Set<String> positions(List<?> rowsOrRecords) {
        Set<String> positions = new HashSet<>();
        for (Object o : rowsOrRecords) {
            if (o instanceof EventParquet.Row r) {
                positions.add(r.kafkaPartition() + "@" + r.kafkaOffset());
            } else if (o instanceof ConsumerRecord<?, ?> c) {
                positions.add(c.partition() + "@" + c.offset());
            }
        }
        return positions;
    }

    private static String headerOf(ConsumerRecord<byte[], byte[]> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Runs the sink until its hook crashes it; any other exception (an unfinished TODO...) is thrown as itself. */
    static void runUntilTheCrash(ParquetSinkEngine sink) {
        try {
            sink.run();
        } catch (ParquetSinkEngine.SimulatedCrash expected) {
            return;
        }
        throw new AssertionError("the sink ran to its end: it never reached the crash point");
    }

    /** Every record of a topic, as bytes, read from the beginning with no group. */
    static List<ConsumerRecord<byte[], byte[]>> readAllBytes(LabConfig lab, String topic) {
        Properties props = lab.kafkaProperties();
        props.put(org.apache.kafka.clients.consumer.ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(org.apache.kafka.clients.consumer.ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(org.apache.kafka.clients.consumer.ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(8 << 20));
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline && partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    static Map<TopicPartition, Long> committed(LabConfig lab, String group, String topic) throws Exception {
        try (Admin admin = LabKafka.admin(lab)) {
            Map<TopicPartition, Long> result = new HashMap<>();
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                    .forEach((tp, o) -> {
                        if (o != null && tp.topic().equals(topic)) {
                            result.put(tp, o.offset());
                        }
                    });
            return result;
        }
    }

    static Map<TopicPartition, Long> endOffsets(LabConfig lab, String topic) throws Exception {
        try (Admin admin = LabKafka.admin(lab)) {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                specs.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> result = new HashMap<>();
            admin.listOffsets(specs).all().get(10, TimeUnit.SECONDS).forEach((tp, info) -> {
                if (info.offset() > 0) {
                    result.put(tp, info.offset());
                }
            });
            return result;
        }
    }
}
