import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Tests of lab/kafka/GroupWorker and of the commit rules handed to it: workers started and closed per test, waits on
 * conditions, and the handover scenario (a member leaves mid-batch, another takes over) with what it left behind.
 */
final class TestGroupWorkers implements AutoCloseable {
    static final int PARTITIONS = 3;
    static final Duration WAIT = Duration.ofSeconds(30);

    /** A processed record: which worker, which partition, which offset. */
    record Seen(String worker, int partition, long offset) {
        String position() {
            return partition + "@" + offset;
        }
    }

    /** What the handover left behind. */
    record Handover(int processedByA, Set<Integer> partitionsOfA, List<Seen> seen, Map<Integer, Long> end,
                    Map<Integer, Long> committed, Throwable failureOfA) {
        /** partition@offset → how many times the group processed that record. */
        Map<String, Long> timesProcessed() {
            return seen.stream().collect(Collectors.groupingBy(Seen::position, TreeMap::new, Collectors.counting()));
        }

        /** Records processed more than once. */
        List<String> twice() {
            return timesProcessed().entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        }

        /** Records of the topic never processed. */
        Set<String> neverProcessed() {
            Set<String> never = new TreeSet<>(allPositions());
            never.removeAll(timesProcessed().keySet());
            return never;
        }

        /** Every record of the topic, as partition@offset. */
        Set<String> allPositions() {
            Set<String> all = new TreeSet<>();
            end.forEach((p, e) -> {
                for (long o = 0; o < e; o++) {
                    all.add(p + "@" + o);
                }
            });
            return all;
        }
    }

    private final List<GroupWorker> started = new ArrayList<>();

    /**
     * Workers A and B of one group on a fresh topic; 300 records arrive in large batches; A leaves, mid-batch, after
     * processing 10; B takes over A's partitions and works on until every record is processed or the group's lag is 0.
     */
    static Handover handover(GroupWorker.Commits commits) throws Exception {
        LabConfig lab = TestLab.config();
        String topic = topic("handover");
        String group = TestLab.unique("handover");
        int stopAfter = 10;
        Queue<Seen> seen = new ConcurrentLinkedQueue<>();
        AtomicInteger byA = new AtomicInteger();
        try (TestGroupWorkers workers = new TestGroupWorkers()) {
            GroupWorker a = workers.start(lab, topic, group, "A", commits, (w, r) -> {
                seen.add(new Seen("A", r.partition(), r.offset()));
                if (byA.incrementAndGet() == stopAfter) {
                    w.stop(); // A leaves in the middle of its batch: the rest of the batch is B's now
                }
            });
            GroupWorker b = workers.start(lab, topic, group, "B", commits, (w, r) -> seen.add(new Seen("B", r.partition(), r.offset())));
            await("both members own partitions", () -> !a.partitions().isEmpty() && !b.partitions().isEmpty(), a, b);
            Set<Integer> ofA = a.partitions();

            // all at once, in large batches, so A's first poll returns far more than the 10 records it processes
            produceInLargeBatches(lab, topic, 30, 10);
            Map<Integer, Long> end = LabTopics.endOffsets(lab, topic);
            long total = end.values().stream().mapToLong(Long::longValue).sum();
            await("A processed " + stopAfter + " records and left the group", () -> !a.isRunning(), a, b);
            await("B took over every partition", () -> b.partitions().equals(Set.of(0, 1, 2)), a, b);
            // done when every record was processed - or when the group has committed the end of every partition
            // (lag 0): then nothing more will be read, and whatever was not processed by now is lost
            await("every record processed, or the group's lag at 0", () -> seen.stream().map(Seen::position).distinct().count() == total
                    || LabTopics.committedOffsets(lab, group, topic).equals(end), a, b);
            workers.close(b);
            return new Handover(byA.get(), ofA, List.copyOf(seen), end, LabTopics.committedOffsets(lab, group, topic), a.failure());
        }
    }

    /** A fresh topic of {@link #PARTITIONS} partitions. */
    static String topic(String prefix) {
        String topic = TestLab.unique(prefix);
        LabKafka.ensureTopic(TestLab.config(), topic, PARTITIONS);
        return topic;
    }

    /** {@code perUser} events for each of {@code users} users (keyed by user), sent in large batches; returns how many. */
    static int produceInLargeBatches(LabConfig lab, String topic, int users, int perUser) {
        Properties props = lab.kafkaProperties();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        // every record must be in the log before the test counts
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // one large batch per partition: consumers then get many records per poll, so "mid-batch" really happens
        props.put(ProducerConfig.LINGER_MS_CONFIG, "200");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(1 << 20));
        int count = 0;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int seq = 1; seq <= perUser; seq++) {
                for (int u = 1; u <= users; u++) {
                    UserEvent e = new UserEvent(String.format("user-%02d", u), seq, "track_playback");
                    producer.send(new ProducerRecord<>(topic, e.userId(), e.toJson()));
                    count++;
                }
            }
            producer.flush();
        }
        return count;
    }

    GroupWorker start(LabConfig lab, String topic, String group, String name, GroupWorker.Commits commits, GroupWorker.Handler handler) {
        GroupWorker w = GroupWorker.start(lab, topic, group, name, commits, handler);
        started.add(w);
        return w;
    }

    /** Closes one worker now (it leaves the group), reporting its failure (an unfinished TODO as itself). */
    void close(GroupWorker w) {
        started.remove(w);
        try {
            w.close();
        } catch (RuntimeException e) {
            throw surfaced(w.name(), e);
        }
    }

    /** Closes every worker still running; a worker's failure fails the test. */
    @Override
    public void close() {
        RuntimeException first = null;
        for (GroupWorker w : List.copyOf(started)) {
            try {
                close(w);
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * Waits (bounded) until {@code condition} holds. A worker that failed ends the wait at once with its failure;
     * an unfinished TODO in it is rethrown as is, so the test names the TODO.
     */
    static void await(String what, BooleanSupplier condition, GroupWorker... workers) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            for (GroupWorker w : workers) {
                if (w.failure() != null) {
                    throw surfaced(w.name(), w.failure());
                }
            }
            if (System.nanoTime() > deadline) {
                StringBuilder events = new StringBuilder();
                for (GroupWorker w : workers) {
                    events.append("\n  ").append(w.name()).append(": ").append(w.events());
                }
                throw new AssertionError("Not within " + WAIT.toSeconds() + " s: " + what + events);
            }
            Thread.sleep(20); // polling the condition, not waiting for an outcome
        }
    }

    static RuntimeException surfaced(String worker, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof Todo.NotDoneException todo) {
                // a new instance with the same stack (the learner's line first): the worker's close() reports the same
                // failure again, and Java refuses to suppress an exception into itself
                Todo.NotDoneException copy = new Todo.NotDoneException(todo.exercise(), todo.step(), todo.getMessage());
                copy.setStackTrace(todo.getStackTrace());
                return copy;
            }
        }
        return new IllegalStateException("worker " + worker + " failed: " + failure, failure);
    }
}
