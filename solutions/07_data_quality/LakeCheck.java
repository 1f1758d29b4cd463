///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES ../../lab/events/EventParquet.java ../../lab/events/EventType.java ../../lab/LabConfig.java ../../lab/LabException.java ../../lab/kafka/LabKafka.java ../../lab/lake/LabS3.java ../../lab/lake/Lake.java ../../lab/events/MusicEvent.java
//COMPILE_OPTIONS -encoding UTF-8
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=error

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import io.minio.MinioClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Lesson 07, data quality: what is in the lake, and does it agree with Kafka? Reads every Parquet object of a
 * topic's lake, the sink group's committed offsets and the dead-letter topic, and checks: the files share the
 * one schema, rows sit under the right partition paths, and every offset below the committed one is in the lake
 * exactly once (or in the dead-letter topic). Exit code 1 when a check fails, so it can gate a pipeline.
 * Run it: {@code ./jbang solutions/07_data_quality/LakeCheck.java [topic] [group]}.
 */
public class LakeCheck {

    /** Where a row came from in Kafka, and which object holds it. */
    public record Located(int partition, long offset, String object) {}

    /** Offsets [from, to) of a partition that are below the committed offset but neither in the lake nor dead letters. */
    public record Gap(int partition, long from, long to) {
        @Override
        public String toString() {
            return "partition " + partition + " offsets " + (to - from == 1 ? Long.toString(from) : from + ".." + (to - 1));
        }
    }

    /** An offset found more than once, and the objects it is in. */
    public record Duplicate(int partition, long offset, List<String> objects) {}

    /** Rows per Kafka partition against the committed offsets. */
    public record Reconciliation(Map<Integer, Long> rowsPerPartition, List<Gap> gaps, List<Duplicate> duplicates, long aheadOfCommit) {
        public boolean ok() {
            return gaps.isEmpty() && duplicates.isEmpty();
        }
    }

    /** One check: its name, whether it passed, what it saw. */
    public record Check(String name, boolean ok, String detail) {}

    /** Everything the check found. */
    public record Report(long totalRows, long files, Map<String, String> schema, List<EventParquet.Row> firstPlaybacks,
                         Map<String, Long> rowsPerPath, Map<String, Map<String, String>> driftedFiles,
                         Map<Integer, Long> committed, Reconciliation reconciliation, List<Check> checks) {
        public boolean ok() {
            return checks.stream().allMatch(Check::ok);
        }

        /** 0 when every check passed, 1 otherwise: what a pipeline step gates on. */
        public int exitCode() {
            return ok() ? 0 : 1;
        }
    }

    /**
     * The reconciliation. For each partition with a committed offset C, every offset in [0, C) must be in the lake
     * exactly once, unless it went to the dead-letter topic. Rows at or above C are allowed (a crash after the
     * upload and before the commit leaves them; the restart overwrites them) and only counted.
     *
     * @param committed   the sink group's committed offset per partition
     * @param deadLetters offsets per partition that the sink sent to the dead-letter topic
     * @param lake        every row of the lake: its partition, offset and object
     */
    static Reconciliation reconcile(Map<Integer, Long> committed, Map<Integer, Set<Long>> deadLetters, Collection<Located> lake) {
        // where each (partition, offset) was found
        Map<Integer, Map<Long, List<String>>> found = new TreeMap<>();
        Map<Integer, Long> rowsPerPartition = new TreeMap<>();
        for (Located row : lake) {
            found.computeIfAbsent(row.partition(), p -> new HashMap<>()).computeIfAbsent(row.offset(), o -> new ArrayList<>()).add(row.object());
            rowsPerPartition.merge(row.partition(), 1L, Long::sum);
        }
        List<Duplicate> duplicates = new ArrayList<>();
        found.forEach((partition, offsets) -> offsets.forEach((offset, objects) -> {
            if (objects.size() > 1) {
                duplicates.add(new Duplicate(partition, offset, List.copyOf(new TreeSet<>(objects))));
            }
        }));
        duplicates.sort(Comparator.comparingInt(Duplicate::partition).thenComparingLong(Duplicate::offset));

        List<Gap> gaps = new ArrayList<>();
        long ahead = 0;
        for (Map.Entry<Integer, Long> c : new TreeMap<>(committed).entrySet()) {
            int partition = c.getKey();
            Map<Long, List<String>> inLake = found.getOrDefault(partition, Map.of());
            Set<Long> dead = deadLetters.getOrDefault(partition, Set.of());
            long gapStart = -1;
            for (long offset = 0; offset < c.getValue(); offset++) {
                boolean accounted = inLake.containsKey(offset) || dead.contains(offset);
                if (!accounted && gapStart < 0) {
                    gapStart = offset;
                } else if (accounted && gapStart >= 0) {
                    gaps.add(new Gap(partition, gapStart, offset));
                    gapStart = -1;
                }
            }
            if (gapStart >= 0) {
                gaps.add(new Gap(partition, gapStart, c.getValue()));
            }
        }
        for (Map.Entry<Integer, Map<Long, List<String>>> p : found.entrySet()) {
            long c = committed.getOrDefault(p.getKey(), 0L);
            ahead += p.getValue().keySet().stream().filter(o -> o >= c).count();
        }
        return new Reconciliation(rowsPerPartition, gaps, duplicates, ahead);
    }

    /** Reads the lake of {@code topic} and the offsets of {@code group}, and runs every check. */
    public static Report check(LabConfig lab, String topic, String group) {
        List<Located> located = new ArrayList<>();
        Map<String, Long> rowsPerPath = new TreeMap<>();
        Map<String, Map<String, String>> drifted = new TreeMap<>();
        List<String> misplaced = new ArrayList<>();
        List<EventParquet.Row> playbacks = new ArrayList<>();
        long total = 0;
        List<String> keys;
        try (MinioClient s3 = LabS3.client(lab)) {
            keys = Lake.listParquet(s3, lab.bucket(), topic + "/");
            for (String key : keys) {
                byte[] file = Lake.get(s3, lab.bucket(), key);
                EventParquet.Footer footer = EventParquet.footer(file);
                total += footer.rows();
                String path = "event_date=" + Lake.partitionValue(key, "event_date") + "/event_type=" + Lake.partitionValue(key, "event_type");
                rowsPerPath.merge(path, footer.rows(), Long::sum);
                if (!footer.schema().equals(EventParquet.SCHEMA)) {
                    drifted.put(key, footer.columns());
                    continue; // rows of another schema cannot be read as events; the schema check reports the file
                }
                for (EventParquet.Row row : EventParquet.read(file)) {
                    located.add(new Located(row.kafkaPartition(), row.kafkaOffset(), key));
                    if (!row.event().eventDate().toString().equals(Lake.partitionValue(key, "event_date"))
                            || !row.event().type().nameEn.equals(Lake.partitionValue(key, "event_type"))) {
                        misplaced.add(key + " has a " + row.event().type().nameEn + " row of " + row.event().eventDate());
                    }
                    if (row.event().type() == EventType.TRACK_PLAYBACK) {
                        playbacks.add(row);
                    }
                }
            }
        } catch (LabException e) {
            throw e;
        } catch (Exception e) {
            throw new LabException("could not read the lake at " + lab.s3Endpoint() + ": " + LabKafka.rootMessage(e), e);
        }
        playbacks.sort(Comparator.comparingLong((EventParquet.Row r) -> r.event().tsMs())
                .thenComparingInt(EventParquet.Row::kafkaPartition).thenComparingLong(EventParquet.Row::kafkaOffset));

        Map<Integer, Long> committed = committedOffsets(lab, group, topic);
        Reconciliation rec = reconcile(committed, deadLetters(lab, topic), located);

        List<Check> checks = new ArrayList<>();
        checks.add(new Check("the lake has rows", total > 0, String.format("%,d rows in %,d files", total, keys.size())));
        checks.add(new Check("every file has the expected schema", drifted.isEmpty(),
                drifted.isEmpty() ? "all " + keys.size() + " files" : drifted.size() + " files differ: " + first(drifted.keySet(), 3)));
        checks.add(new Check("rows sit under their own event_date and event_type", misplaced.isEmpty(),
                misplaced.isEmpty() ? "every row" : misplaced.size() + " rows misplaced: " + first(misplaced, 3)));
        checks.add(new Check("the sink group has committed offsets", !committed.isEmpty(),
                committed.isEmpty() ? "group '" + group + "' has committed nothing for " + topic : "group '" + group + "': " + committed));
        checks.add(new Check("no offset twice in the lake", rec.duplicates().isEmpty(), rec.duplicates().isEmpty() ? "none"
                : String.format("%,d", rec.duplicates().size()) + " offsets more than once: " + first(duplicatesByObjects(rec.duplicates()), 3)));
        checks.add(new Check("every offset below the committed one is in the lake (or a dead letter)", rec.gaps().isEmpty(),
                rec.gaps().isEmpty() ? "none missing" : "missing: " + first(rec.gaps().stream().map(Gap::toString).toList(), 5)));
        return new Report(total, keys.size(), EventParquet.expectedColumns(), playbacks.stream().limit(10).toList(),
                rowsPerPath, drifted, committed, rec, checks);
    }

    /** "134 offsets of partition 0 (11844..12020) are in each of [a, b]", one line per set of objects. */
    private static List<String> duplicatesByObjects(List<Duplicate> duplicates) {
        Map<String, List<Duplicate>> byObjects = new TreeMap<>();
        duplicates.forEach(d -> byObjects.computeIfAbsent("partition " + d.partition() + " in each of " + d.objects(), k -> new ArrayList<>()).add(d));
        List<String> lines = new ArrayList<>();
        byObjects.forEach((where, ds) -> lines.add(String.format("%,d offsets (%d..%d) of %s", ds.size(), ds.get(0).offset(),
                ds.get(ds.size() - 1).offset(), where)));
        return lines;
    }

    static Map<Integer, Long> committedOffsets(LabConfig lab, String group, String topic) {
        try (Admin admin = LabKafka.admin(lab)) {
            Map<Integer, Long> committed = new TreeMap<>();
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS);
            offsets.forEach((tp, o) -> {
                if (o != null && tp.topic().equals(topic)) {
                    committed.put(tp.partition(), o.offset());
                }
            });
            return committed;
        } catch (Exception e) {
            throw new LabException("could not read the offsets of group '" + group + "' at " + lab.kafkaBootstrap() + ": "
                    + LabKafka.rootMessage(e), e);
        }
    }

    /** The offsets of {@code topic} that the sink sent to {@code <topic>_dlq}, from the letters' headers. */
    static Map<Integer, Set<Long>> deadLetters(LabConfig lab, String topic) {
        String dlq = topic + "_dlq";
        Map<Integer, Set<Long>> offsets = new HashMap<>();
        Properties props = lab.kafkaProperties();
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            if (!consumer.listTopics(Duration.ofSeconds(10)).containsKey(dlq)) {
                return offsets;
            }
            List<TopicPartition> partitions = consumer.partitionsFor(dlq).stream().map(p -> new TopicPartition(dlq, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new LabException("could not read " + dlq + " to its end within 30 s");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (topic.equals(header(r, "dlq.source.topic"))) {
                        offsets.computeIfAbsent(Integer.parseInt(header(r, "dlq.source.partition")), p -> new TreeSet<>())
                                .add(Long.parseLong(header(r, "dlq.source.offset")));
                    }
                }
            }
        }
        return offsets;
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String first(Collection<String> items, int n) {
        List<String> list = new ArrayList<>(items);
        return String.join("; ", list.subList(0, Math.min(n, list.size()))) + (list.size() > n ? "; ..." : "");
    }

    /** The report as text, the way the lesson and main print it. */
    public static List<String> describe(Report r) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("total rows: %,d in %,d files", r.totalRows(), r.files()));
        lines.add("schema (column, type):");
        r.schema().forEach((c, t) -> lines.add(String.format("  %-24s %s", c, t)));
        lines.add("first ten track_playback rows:");
        lines.add(String.format("  %-23s %-8s %-13s %-8s %-15s %s", "event_time (UTC)", "user", "country", "track", "ipv4", "partition@offset"));
        for (EventParquet.Row row : r.firstPlaybacks()) {
            MusicEvent e = row.event();
            lines.add(String.format("  %-23s %-8s %-13s %-8s %-15s %d@%d", e.eventTime().toString().replace("T", " ").replace("Z", ""),
                    e.userId().substring(0, 8), e.country(), e.uuidTrack().substring(0, 8), e.ipv4(), row.kafkaPartition(), row.kafkaOffset()));
        }
        lines.add("rows per partition path:");
        r.rowsPerPath().forEach((p, n) -> lines.add(String.format("  %-60s %,9d", p, n)));
        lines.add("rows per Kafka partition vs committed offsets:");
        Set<Integer> partitions = new TreeSet<>(r.committed().keySet());
        partitions.addAll(r.reconciliation().rowsPerPartition().keySet());
        for (int p : partitions) {
            lines.add(String.format("  partition %d: %,9d rows, committed offset %s", p, r.reconciliation().rowsPerPartition().getOrDefault(p, 0L),
                    r.committed().containsKey(p) ? String.format("%,d", r.committed().get(p)) : "none"));
        }
        if (r.reconciliation().aheadOfCommit() > 0) {
            lines.add(String.format("  (%,d rows above the committed offsets: stored, not yet committed; a restart overwrites them)",
                    r.reconciliation().aheadOfCommit()));
        }
        lines.add("checks:");
        for (Check c : r.checks()) {
            lines.add(String.format("  %-4s %s: %s", c.ok() ? "OK" : "FAIL", c.name(), c.detail()));
        }
        return lines;
    }

    public static void main(String[] args) {
        LabConfig lab = LabConfig.fromEnvironment();
        String topic = args.length > 0 ? args[0] : "music_events";
        String group = args.length > 1 ? args[1] : "music-events-parquet-sink";
        try {
            Report report = check(lab, topic, group);
            describe(report).forEach(System.out::println);
            System.exit(report.exitCode());
        } catch (LabException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }
}
