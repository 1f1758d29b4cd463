//SOURCES ../LabConfig.java ../LabException.java ../kafka/LabKafka.java ../kafka/LabTopics.java LabS3.java Lake.java
//SOURCES ../events/EventParquet.java ../events/EventType.java ../events/MusicEvent.java
//COMPILE_OPTIONS -encoding UTF-8
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import io.minio.MinioClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * Lesson 07's data check: what is in the lake, and does it agree with Kafka? The engine reads Kafka and the lake; the
 * judgement is handed in: how rows are reconciled with offsets ({@link Reconciler}, exercise 07.1) and when a file's
 * columns have drifted ({@link DriftCheck}, exercise 07.2). Exercise 07.3 turns the {@link Report} into an exit code.
 *
 * <p>Safe against a sink that runs meanwhile: Kafka is read first (committed offsets, then log-start offsets, then the
 * dead letters to their end), the lake after. The sink stores a batch before it commits it, so every offset below a
 * committed offset read first is already in the listing made after; a batch stored later is above it, and only counted.
 *
 * <p>Memory is bounded by one object, not by the lake: objects are read one at a time, and what is kept per row is two
 * bits per offset ({@link Index}); rows themselves are not kept (the first ten track_playback rows excepted).
 * A corrupt object is reported by name and the rest is checked.
 */
public final class LakeCheck {
    private LakeCheck() {}

    /** Reconciles the lake's rows with Kafka's offsets and the dead letters (exercise 07.1). Pure: no I/O. */
    @FunctionalInterface
    public interface Reconciler {
        Reconciliation reconcile(Map<Integer, Span> kafka, Map<Integer, Set<Long>> deadLetters, Rows lake);
    }

    /** The differences between the expected columns and a file's (column name to type), empty when none (exercise 07.2). */
    @FunctionalInterface
    public interface DriftCheck {
        List<String> differences(Map<String, String> expected, Map<String, String> found);
    }

    /**
     * A partition's offsets that the lake must account for: from the first offset Kafka still has (retention deletes
     * older ones) up to the sink group's committed offset (exclusive).
     */
    public record Span(long logStart, long committed) {}

    /** Offsets [from, to) of a partition that are below the committed offset but neither in the lake nor dead letters. */
    public record Gap(int partition, long from, long to) {
        @Override
        public String toString() {
            return "partition " + partition + " offsets " + (to - from == 1 ? Long.toString(from) : from + ".." + (to - 1));
        }
    }

    /** Offsets [from, to) of a partition that are in the lake more than once. */
    public record Duplicate(int partition, long from, long to) {
        @Override
        public String toString() {
            return "partition " + partition + " offsets " + (to - from == 1 ? Long.toString(from) : from + ".." + (to - 1));
        }
    }

    /** What the reconciliation found. */
    public record Reconciliation(List<Gap> gaps, List<Duplicate> duplicates) {
        public boolean ok() {
            return gaps.isEmpty() && duplicates.isEmpty();
        }
    }

    /** What the lake holds per Kafka partition, as the reconciliation sees it. */
    public interface Rows {
        /** The partitions the lake has rows of. */
        Set<Integer> partitions();

        /** The smallest offset of the partition with a row (0 when none). */
        long first(int partition);

        /** One past the largest offset of the partition with a row (0 when none). */
        long end(int partition);

        /** How many rows carry this offset: 0, 1, or 2 for "two or more". */
        int copies(int partition, long offset);
    }

    /**
     * {@link Rows} in two bits per offset: seen once, seen again. Kept in chunks of 65,536 offsets, so a partition whose
     * offsets start at 10^12 costs no more than one that starts at 0.
     */
    public static final class Index implements Rows {
        private static final int CHUNK = 1 << 16;
        private final Map<Integer, TreeMap<Long, BitSet[]>> chunks = new TreeMap<>();
        private final Map<Integer, long[]> bounds = new TreeMap<>();

        /** One more row with this offset. */
        public void add(int partition, long offset) {
            BitSet[] bits = chunks.computeIfAbsent(partition, p -> new TreeMap<>())
                    .computeIfAbsent(Math.floorDiv(offset, CHUNK), c -> new BitSet[] {new BitSet(CHUNK), new BitSet(CHUNK)});
            int bit = (int) Math.floorMod(offset, (long) CHUNK);
            if (bits[0].get(bit)) {
                bits[1].set(bit);
            } else {
                bits[0].set(bit);
            }
            long[] b = bounds.computeIfAbsent(partition, p -> new long[] {offset, offset + 1});
            b[0] = Math.min(b[0], offset);
            b[1] = Math.max(b[1], offset + 1);
        }

        @Override
        public Set<Integer> partitions() {
            return chunks.keySet();
        }

        @Override
        public long first(int partition) {
            long[] b = bounds.get(partition);
            return b == null ? 0 : b[0];
        }

        @Override
        public long end(int partition) {
            long[] b = bounds.get(partition);
            return b == null ? 0 : b[1];
        }

        @Override
        public int copies(int partition, long offset) {
            TreeMap<Long, BitSet[]> p = chunks.get(partition);
            BitSet[] bits = p == null ? null : p.get(Math.floorDiv(offset, CHUNK));
            if (bits == null) {
                return 0;
            }
            int bit = (int) Math.floorMod(offset, (long) CHUNK);
            return bits[1].get(bit) ? 2 : bits[0].get(bit) ? 1 : 0;
        }
    }

    /** One check: its name, whether it passed, what it saw. */
    public record Check(String name, boolean ok, String detail) {}

    /**
     * Everything the check found. {@code couldNotCheck} is not empty when something kept it from checking (S3 or Kafka
     * not there, a group that never committed): then the checks say little or nothing.
     */
    public record Report(long totalRows, long files, Map<String, String> schema, List<EventParquet.Row> firstPlaybacks,
                         Map<String, Long> rowsPerPath, Map<String, List<String>> driftedFiles, Map<String, String> unreadable,
                         Map<Integer, Span> kafka, Map<Integer, Long> rowsPerPartition, long aheadOfCommit, long deadLetters,
                         Reconciliation reconciliation, Map<Duplicate, List<String>> duplicateObjects, List<Check> checks,
                         List<String> couldNotCheck) {
        public boolean ok() {
            return couldNotCheck.isEmpty() && checks.stream().allMatch(Check::ok);
        }

        static Report couldNot(String why) {
            return new Report(0, 0, EventParquet.expectedColumns(), List.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), 0, 0,
                    new Reconciliation(List.of(), List.of()), Map.of(), List.of(), List.of(why));
        }
    }

    /** How many duplicated offsets are traced to the objects that hold them (which costs reading those objects again). */
    private static final int TRACED_DUPLICATES = 10_000;
    private static final Comparator<EventParquet.Row> EARLIEST = Comparator.comparingLong((EventParquet.Row r) -> r.event().tsMs())
            .thenComparingInt(EventParquet.Row::kafkaPartition).thenComparingLong(EventParquet.Row::kafkaOffset);

    /** Reads Kafka, then the lake of {@code topic} under the lab's bucket, and runs every check. Never throws for what it finds. */
    public static Report check(LabConfig lab, String topic, String group, Reconciler reconciler, DriftCheck drift) {
        try {
            return checkOrThrow(lab, topic, group, reconciler, drift);
        } catch (LabException e) {
            return Report.couldNot(e.getMessage());
        }
    }

    private static Report checkOrThrow(LabConfig lab, String topic, String group, Reconciler reconciler, DriftCheck drift) {
        // 1. Kafka first (see the class comment): committed offsets, log-start offsets, dead letters
        Map<Integer, Long> committed = LabTopics.committedOffsets(lab, group, topic);
        Map<Integer, Long> logStart = logStartOffsets(lab, topic);
        Map<Integer, Span> kafka = new TreeMap<>();
        logStart.forEach((p, start) -> kafka.put(p, new Span(start, Math.max(start, committed.getOrDefault(p, start)))));
        List<String> couldNotCheck = new ArrayList<>();
        if (committed.isEmpty()) {
            couldNotCheck.add("group '" + group + "' has committed no offset of '" + topic + "': nothing to reconcile the lake with"
                    + " (has the sink run, with this group?)");
        }
        DeadLetters dead = deadLetters(lab, topic);

        // 2. then the lake, one object at a time
        Index index = new Index();
        Map<String, Long> rowsPerPath = new TreeMap<>();
        Map<String, List<String>> drifted = new TreeMap<>();
        Map<String, String> unreadable = new TreeMap<>();
        Map<Integer, Long> rowsPerPartition = new TreeMap<>();
        Map<String, Map<Integer, long[]>> spans = new LinkedHashMap<>(); // object -> partition -> [min, max] offset
        Examples misplaced = new Examples();
        Examples rejected = new Examples();
        PriorityQueue<EventParquet.Row> playbacks = new PriorityQueue<>(EARLIEST.reversed());
        long total = 0;
        long ahead = 0;
        Map<String, String> expected = EventParquet.expectedColumns();
        List<String> keys;
        LabS3.probe(lab); // an S3 that is not there is reported with its address and how to start it
        try (MinioClient s3 = LabS3.client(lab)) {
            keys = Lake.listParquet(s3, lab.bucket(), topic + "/");
            for (String key : keys) {
                byte[] file = Lake.get(s3, lab.bucket(), key); // one object in memory at a time
                EventParquet.Footer footer;
                try {
                    footer = EventParquet.footer(file);
                } catch (RuntimeException e) { // not Parquet, cut short, ...: name it and check the rest
                    unreadable.put(key, LabKafka.rootMessage(e));
                    continue;
                }
                List<String> differences = drift.differences(expected, footer.columns());
                if (!differences.isEmpty()) {
                    drifted.put(key, differences);
                    total += footer.rows();
                    continue; // rows of another schema are not read as events; the schema check names the file
                }
                List<EventParquet.Row> rows;
                try {
                    rows = EventParquet.read(file);
                } catch (RuntimeException e) {
                    unreadable.put(key, LabKafka.rootMessage(e));
                    continue;
                }
                String path = "event_date=" + Lake.partitionValue(key, "event_date") + "/event_type=" + Lake.partitionValue(key, "event_type");
                rowsPerPath.merge(path, (long) rows.size(), Long::sum);
                total += rows.size();
                for (EventParquet.Row row : rows) {
                    int p = row.kafkaPartition();
                    long o = row.kafkaOffset();
                    index.add(p, o);
                    rowsPerPartition.merge(p, 1L, Long::sum);
                    long[] span = spans.computeIfAbsent(key, k -> new HashMap<>()).computeIfAbsent(p, x -> new long[] {o, o});
                    span[0] = Math.min(span[0], o);
                    span[1] = Math.max(span[1], o);
                    if (kafka.containsKey(p) && o >= kafka.get(p).committed()) {
                        ahead++;
                    }
                    String why = notAnEvent(row.event());
                    if (why != null) {
                        rejected.add(key + " p" + p + "@" + o + ": " + why);
                        continue;
                    }
                    if (!row.event().eventDate().toString().equals(Lake.partitionValue(key, "event_date"))
                            || !row.event().type().nameEn.equals(Lake.partitionValue(key, "event_type"))) {
                        misplaced.add(key + " has a " + row.event().type().nameEn + " row of " + row.event().eventDate());
                    }
                    if (row.event().type() == EventType.TRACK_PLAYBACK) {
                        playbacks.add(row);
                        if (playbacks.size() > 10) {
                            playbacks.poll(); // keep the ten earliest: the latest of them is at the head
                        }
                    }
                }
            }

            // 3. the judgement, and the names of the objects behind the first duplicates
            Reconciliation rec = reconciler.reconcile(kafka, dead.offsets, index);
            Map<Duplicate, List<String>> duplicateObjects = nameDuplicates(s3, lab, rec.duplicates(), spans);

            List<EventParquet.Row> firstPlaybacks = new ArrayList<>(playbacks);
            firstPlaybacks.sort(EARLIEST);
            List<Check> checks = new ArrayList<>();
            checks.add(new Check("the lake has rows", total > 0, String.format("%,d rows in %,d files", total, keys.size())));
            checks.add(new Check("every object is a readable Parquet file", unreadable.isEmpty(), unreadable.isEmpty() ? "all " + keys.size()
                    : unreadable.size() + " unreadable: " + first(unreadable.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")").toList(), 3)));
            checks.add(new Check("every file has the expected schema", drifted.isEmpty(), drifted.isEmpty() ? "all " + (keys.size() - unreadable.size()) + " files"
                    : drifted.size() + " files differ: " + first(drifted.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList(), 3)));
            checks.add(new Check("every row is an event the model accepts", rejected.count == 0,
                    rejected.count == 0 ? "every row" : String.format("%,d rows are not: ", rejected.count) + first(rejected.first, 3)));
            checks.add(new Check("rows sit under their own event_date and event_type", misplaced.count == 0,
                    misplaced.count == 0 ? "every row" : String.format("%,d rows misplaced: ", misplaced.count) + first(misplaced.first, 3)));
            checks.add(new Check("no offset twice in the lake", rec.duplicates().isEmpty(), rec.duplicates().isEmpty() ? "none"
                    : describeDuplicates(rec.duplicates(), duplicateObjects)));
            checks.add(new Check("every offset below the committed one is in the lake (or a dead letter)", rec.gaps().isEmpty(),
                    rec.gaps().isEmpty() ? "none missing" : "missing: " + first(rec.gaps().stream().map(Gap::toString).toList(), 5)));
            checks.add(new Check("every dead letter names its source", dead.strange.count == 0, dead.strange.count == 0
                    ? String.format("%,d dead letters of %s", dead.count, topic)
                    : String.format("%,d dead letters name no source partition and offset: ", dead.strange.count) + first(dead.strange.first, 3)));
            return new Report(total, keys.size(), expected, List.copyOf(firstPlaybacks), rowsPerPath, drifted, unreadable, kafka,
                    rowsPerPartition, ahead, dead.count, rec, duplicateObjects, checks, couldNotCheck);
        } catch (RuntimeException e) {
            throw e; // a LabException is a "could not check"; anything else (a bug, an unfinished exercise) is not hidden
        } catch (Exception e) { // closing the client
            throw new LabException("could not read the lake at " + lab.s3Endpoint() + ": " + LabKafka.rootMessage(e), e);
        }
    }

    /** Why a row the lake holds is no event of the model, or null when it is one. */
    private static String notAnEvent(MusicEvent e) {
        try {
            MusicEvent.parse(e.toBytes());
            return null;
        } catch (MalformedEventException bad) {
            return bad.getMessage();
        } catch (RuntimeException broken) { // e.g. a required field that is null
            return broken.toString();
        }
    }

    /**
     * The objects holding the offsets of the duplicate runs, for the runs that cover the first {@value #TRACED_DUPLICATES}
     * duplicated offsets: each object whose offsets span one of those runs is read once more.
     */
    private static Map<Duplicate, List<String>> nameDuplicates(MinioClient s3, LabConfig lab, List<Duplicate> duplicates,
                                                               Map<String, Map<Integer, long[]>> spans) {
        List<Duplicate> traced = new ArrayList<>();
        long covered = 0;
        for (Duplicate d : duplicates) {
            if (covered >= TRACED_DUPLICATES) {
                break;
            }
            traced.add(d);
            covered += d.to() - d.from();
        }
        traced.sort(Comparator.comparingInt(Duplicate::partition).thenComparingLong(Duplicate::from));
        Map<Duplicate, Set<String>> holders = new LinkedHashMap<>();
        traced.forEach(d -> holders.put(d, new TreeSet<>()));
        spans.forEach((key, perPartition) -> {
            boolean candidate = traced.stream().anyMatch(d -> {
                long[] span = perPartition.get(d.partition());
                return span != null && span[0] < d.to() && span[1] >= d.from();
            });
            if (candidate) {
                for (EventParquet.Row row : EventParquet.read(Lake.get(s3, lab.bucket(), key))) {
                    Duplicate d = runOf(traced, row.kafkaPartition(), row.kafkaOffset());
                    if (d != null) {
                        holders.get(d).add(key);
                    }
                }
            }
        });
        Map<Duplicate, List<String>> named = new LinkedHashMap<>();
        holders.forEach((d, keys) -> named.put(d, List.copyOf(keys)));
        return named;
    }

    /** The run of {@code runs} (sorted by partition, then from) that holds the offset, or null. */
    private static Duplicate runOf(List<Duplicate> runs, int partition, long offset) {
        int lo = 0;
        int hi = runs.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Duplicate d = runs.get(mid);
            int c = d.partition() != partition ? Integer.compare(d.partition(), partition) : offset < d.from() ? 1 : offset >= d.to() ? -1 : 0;
            if (c == 0) {
                return d;
            } else if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return null;
    }

    /** "264 offsets more than once, in 132 runs: 264 offsets of partition 0 (5013..5999) in each of [a, b]", one part per set of objects. */
    private static String describeDuplicates(List<Duplicate> duplicates, Map<Duplicate, List<String>> named) {
        long offsets = duplicates.stream().mapToLong(d -> d.to() - d.from()).sum();
        Map<String, long[]> byObjects = new LinkedHashMap<>(); // partition and objects -> offsets, first, last
        named.forEach((d, objects) -> {
            long[] n = byObjects.computeIfAbsent("partition " + d.partition() + " in each of " + objects, k -> new long[] {0, d.from(), d.to() - 1});
            n[0] += d.to() - d.from();
            n[1] = Math.min(n[1], d.from());
            n[2] = Math.max(n[2], d.to() - 1);
        });
        List<String> parts = new ArrayList<>();
        byObjects.forEach((where, n) -> parts.add(String.format("%,d offsets (%d..%d) of %s", n[0], n[1], n[2], where)));
        return String.format("%,d offsets more than once, in %,d runs%s: ", offsets, duplicates.size(),
                named.size() < duplicates.size() ? " (the first " + named.size() + " runs traced to their objects)" : "") + first(parts, 3);
    }

    /** A count, and the first few examples. */
    private static final class Examples {
        final List<String> first = new ArrayList<>();
        long count;

        void add(String example) {
            if (first.size() < 5) {
                first.add(example);
            }
            count++;
        }
    }

    /** The dead letters of a topic: source offsets per partition, and letters that name no source. */
    private record DeadLetters(Map<Integer, Set<Long>> offsets, long count, Examples strange) {}

    /** Partition to the first offset the topic still has (after retention); every partition of the topic. */
    private static Map<Integer, Long> logStartOffsets(LabConfig lab, String topic) {
        try (Admin admin = LabKafka.admin(lab)) {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(15, TimeUnit.SECONDS).get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                earliest.put(new TopicPartition(topic, p), OffsetSpec.earliest());
            }
            Map<Integer, Long> starts = new TreeMap<>();
            admin.listOffsets(earliest).all().get(15, TimeUnit.SECONDS).forEach((tp, info) -> starts.put(tp.partition(), info.offset()));
            return starts;
        } catch (Exception e) {
            throw new LabException("could not read the offsets of topic '" + topic + "' at " + lab.kafkaBootstrap() + ": "
                    + LabKafka.rootMessage(e), e);
        }
    }

    /** The offsets of {@code topic} that the sink sent to {@code <topic>_dlq}, from the letters' headers, read to the end. */
    private static DeadLetters deadLetters(LabConfig lab, String topic) {
        String dlq = topic + "_dlq";
        Map<Integer, Set<Long>> offsets = new HashMap<>();
        Examples strange = new Examples();
        long[] count = {0};
        LabTopics.readEach(lab, dlq, Duration.ofSeconds(60), r -> {
            if (!topic.equals(header(r, "dlq.source.topic"))) {
                if (header(r, "dlq.source.topic") == null) {
                    strange.add(dlq + " p" + r.partition() + "@" + r.offset() + " has no dlq.source.topic header");
                }
                return;
            }
            count[0]++;
            try {
                offsets.computeIfAbsent(Integer.parseInt(header(r, "dlq.source.partition")), p -> new TreeSet<>())
                        .add(Long.parseLong(header(r, "dlq.source.offset")));
            } catch (NumberFormatException e) { // a missing header is a null: also a NumberFormatException
                strange.add(dlq + " p" + r.partition() + "@" + r.offset() + ": source partition "
                        + quoted(header(r, "dlq.source.partition")) + ", offset " + quoted(header(r, "dlq.source.offset")));
            }
        });
        return new DeadLetters(offsets, count[0], strange);
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String quoted(String s) {
        return s == null ? "missing" : "\"" + (s.length() > 20 ? s.substring(0, 20) + "..." : s) + "\"";
    }

    private static String first(Collection<String> items, int n) {
        List<String> list = new ArrayList<>(items);
        return String.join("; ", list.subList(0, Math.min(n, list.size()))) + (list.size() > n ? "; ..." : "");
    }

    /** The report as text, the way the lesson prints it; never throws on what the lake holds. */
    public static List<String> describe(Report r) {
        List<String> lines = new ArrayList<>();
        if (!r.couldNotCheck().isEmpty()) {
            lines.add("could not check:");
            r.couldNotCheck().forEach(c -> lines.add("  " + c));
        }
        lines.add(String.format("total rows: %,d in %,d files", r.totalRows(), r.files()));
        lines.add("schema (column, type):");
        r.schema().forEach((c, t) -> lines.add(String.format("  %-24s %s", c, t)));
        lines.add("first ten track_playback rows:");
        lines.add(String.format("  %-23s %-8s %-13s %-8s %-15s %s", "event_time (UTC)", "user", "country", "track", "ipv4", "partition@offset"));
        for (EventParquet.Row row : r.firstPlaybacks()) {
            MusicEvent e = row.event();
            lines.add(String.format("  %-23s %-8s %-13s %-8s %-15s %d@%d", e.eventTime().toString().replace("T", " ").replace("Z", ""),
                    head(e.userId()), e.country(), head(e.uuidTrack()), e.ipv4(), row.kafkaPartition(), row.kafkaOffset()));
        }
        lines.add("rows per partition path:");
        r.rowsPerPath().forEach((p, n) -> lines.add(String.format("  %-60s %,9d", p, n)));
        lines.add("rows per Kafka partition vs the sink group's offsets:");
        Set<Integer> partitions = new TreeSet<>(r.kafka().keySet());
        partitions.addAll(r.rowsPerPartition().keySet());
        for (int p : partitions) {
            Span s = r.kafka().get(p);
            lines.add(String.format("  partition %d: %,9d rows, %s", p, r.rowsPerPartition().getOrDefault(p, 0L),
                    s == null ? "not in Kafka" : String.format("log starts at %,d, committed %,d", s.logStart(), s.committed())));
        }
        if (r.aheadOfCommit() > 0) {
            lines.add(String.format("  (%,d rows above the committed offsets: stored, not yet committed; a restart overwrites them)",
                    r.aheadOfCommit()));
        }
        lines.add(String.format("dead letters: %,d", r.deadLetters()));
        lines.add("checks:");
        for (Check c : r.checks()) {
            lines.add(String.format("  %-4s %s: %s", c.ok() ? "OK" : "FAIL", c.name(), c.detail()));
        }
        return lines;
    }

    private static String head(String id) {
        return id == null ? "-" : id.length() <= 8 ? id : id.substring(0, 8);
    }
}
