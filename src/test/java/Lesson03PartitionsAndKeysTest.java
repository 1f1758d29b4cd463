import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Lesson 03: keys pick partitions (checked against where the broker stored each record, and against Kafka's own
 * partitioner), order holds per key, members of one group split the partitions, another group reads everything
 * again, and a member leaving mid-way hands over its partitions without a record lost or processed twice.
 * Ordered like the exercise's TODOs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Lesson03PartitionsAndKeysTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PARTITIONS = 3;
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** A processed record: which worker, which partition, which offset. */
    record Seen(String worker, int partition, long offset) {
        String position() {
            return partition + "@" + offset;
        }
    }

    @Test
    @Order(1)
    void everyEventOfAUserLandsInThePartitionTheMurmur2HashOfItsKeyPicks() throws Exception {
        LabConfig lab = TestLab.config();
        String topic = topic();
        List<KeyedProducer.UserEvent> events = interleaved(users(12), 6);

        List<RecordMetadata> landed = KeyedProducer.send(lab, topic, events);

        List<ConsumerRecord<String, String>> records = LabTopics.readAll(lab, topic, WAIT);
        assertThat(records).as("records in the topic").hasSize(events.size());
        Map<String, Set<Integer>> partitionsOfKey = new TreeMap<>();
        for (ConsumerRecord<String, String> r : records) {
            assertThat(r.key()).as("the key of %s is the user id", r.value()).isEqualTo(JSON.readTree(r.value()).path("user_id").asText());
            partitionsOfKey.computeIfAbsent(r.key(), k -> new TreeSet<>()).add(r.partition());
        }
        partitionsOfKey.forEach((user, partitions) -> assertThat(partitions)
                .as("partitions holding %s's events: one, the one Kafka's partitioner computes from the key", user)
                .containsExactly(kafkasPartitionFor(user)));
        assertThat(partitionsOfKey.values().stream().flatMap(Set::stream).collect(Collectors.toSet()))
                .as("12 users spread over all 3 partitions").containsExactlyInAnyOrder(0, 1, 2);
        for (int i = 0; i < events.size(); i++) {
            assertThat(landed.get(i).partition()).as("partition send() reported for event %s", events.get(i))
                    .isEqualTo(kafkasPartitionFor(events.get(i).userId()));
        }

        for (String key : List.of("user-01", "5f0e8c1a-7b7e-4f43-9d8e-0c6c2f0e3b1d", "Ёлка", "", "a much longer key than the others, to hash more bytes")) {
            for (int partitions : new int[] {1, 2, 3, 7, 12}) {
                assertThat(KeyedProducer.partitionFor(key, partitions)).as("partitionFor(\"%s\", %d)", key, partitions)
                        .isEqualTo(BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), partitions));
            }
        }
    }

    @Test
    @Order(2)
    void eachUsersEventsKeepTheirOrderWithinTheirPartition() throws Exception {
        LabConfig lab = TestLab.config();
        String topic = topic();
        int perUser = 20;
        List<KeyedProducer.UserEvent> events = interleaved(users(9), perUser);
        KeyedProducer.send(lab, topic, events);

        Map<String, List<Integer>> seqsInLogOrder = new TreeMap<>();
        // readAll returns each partition in offset order: the order a consumer of that partition sees
        for (ConsumerRecord<String, String> r : LabTopics.readAll(lab, topic, WAIT)) {
            JsonNode value = JSON.readTree(r.value());
            seqsInLogOrder.computeIfAbsent(value.path("user_id").asText(), k -> new ArrayList<>()).add(value.path("seq").asInt());
        }
        assertThat(seqsInLogOrder).as("users found").hasSize(9);
        List<Integer> expected = new ArrayList<>();
        for (int seq = 1; seq <= perUser; seq++) {
            expected.add(seq);
        }
        seqsInLogOrder.forEach((user, seqs) -> assertThat(seqs)
                .as("%s's sequence numbers in offset order: strictly increasing, none missing, none repeated", user)
                .isEqualTo(expected));
    }

    @Test
    @Order(3)
    void twoMembersOfOneGroupSplitThePartitionsAndEachReadsOnlyItsOwn() throws Exception {
        LabConfig lab = TestLab.config();
        String topic = topic();
        String group = TestLab.unique("lesson03-group");
        Queue<Seen> seen = new ConcurrentLinkedQueue<>();
        try (Workers workers = new Workers()) {
            GroupWorker a = workers.start(lab, topic, group, "A", (w, r) -> seen.add(new Seen("A", r.partition(), r.offset())));
            GroupWorker b = workers.start(lab, topic, group, "B", (w, r) -> seen.add(new Seen("B", r.partition(), r.offset())));
            await("both members own partitions", () -> !a.partitions().isEmpty() && !b.partitions().isEmpty(), a, b);
            Set<Integer> ofA = a.partitions();
            Set<Integer> ofB = b.partitions();
            assertThat(ofA).as("A's partitions %s and B's %s do not overlap", ofA, ofB).doesNotContainAnyElementsOf(ofB);
            Set<Integer> both = new HashSet<>(ofA);
            both.addAll(ofB);
            assertThat(both).as("together they own every partition").containsExactlyInAnyOrder(0, 1, 2);

            int count = produce(lab, topic, users(12), 5);
            await("all " + count + " records processed", () -> seen.size() >= count, a, b);

            for (Seen s : seen) {
                assertThat(s.worker().equals("A") ? ofA : ofB).as("%s processed partition %d: it must own it", s.worker(), s.partition())
                        .contains(s.partition());
            }
            assertThat(seen.stream().map(Seen::position).distinct().count()).as("distinct records processed: each once").isEqualTo(count);
        }
    }

    @Test
    @Order(4)
    void aSecondGroupReadsEverythingAgainAndEachGroupCommitsItsOwnOffsets() throws Exception {
        LabConfig lab = TestLab.config();
        String topic = topic();
        int count = produce(lab, topic, users(12), 4);
        Map<Integer, Long> end = LabTopics.endOffsets(lab, topic);
        Map<String, Set<String>> positionsByGroup = new HashMap<>();
        for (String group : List.of(TestLab.unique("lesson03-first"), TestLab.unique("lesson03-second"))) {
            Queue<Seen> seen = new ConcurrentLinkedQueue<>();
            try (Workers workers = new Workers()) {
                GroupWorker w = workers.start(lab, topic, group, "only", (worker, r) -> seen.add(new Seen("only", r.partition(), r.offset())));
                await(group + " processed all " + count + " records", () -> seen.size() >= count, w);
            }
            positionsByGroup.put(group, seen.stream().map(Seen::position).collect(Collectors.toSet()));
            assertThat(seen).as("records processed by %s", group).hasSize(count);
            assertThat(LabTopics.committedOffsets(lab, group, topic))
                    .as("%s committed everything it processed when it left the group: committed = log end", group).isEqualTo(end);
        }
        List<Set<String>> readByGroup = new ArrayList<>(positionsByGroup.values());
        assertThat(readByGroup.get(1)).as("the second group read every record again, the same ones: a group's offsets are its own")
                .hasSize(count).isEqualTo(readByGroup.get(0));
    }

    @Test
    @Order(5)
    void whenAMemberLeavesMidwayTheOtherTakesOverWithNothingLostAndNothingProcessedTwice() throws Exception {
        LabConfig lab = TestLab.config();
        String topic = topic();
        String group = TestLab.unique("lesson03-takeover");
        int stopAfter = 10;
        Queue<Seen> seen = new ConcurrentLinkedQueue<>();
        AtomicInteger byA = new AtomicInteger();
        try (Workers workers = new Workers()) {
            GroupWorker a = workers.start(lab, topic, group, "A", (w, r) -> {
                seen.add(new Seen("A", r.partition(), r.offset()));
                if (byA.incrementAndGet() == stopAfter) {
                    w.stop(); // A leaves in the middle of its batch: the rest of the batch is B's now
                }
            });
            GroupWorker b = workers.start(lab, topic, group, "B", (w, r) -> seen.add(new Seen("B", r.partition(), r.offset())));
            await("both members own partitions", () -> !a.partitions().isEmpty() && !b.partitions().isEmpty(), a, b);
            Set<Integer> ofA = a.partitions();

            // all at once, in large batches, so A's first poll returns far more than the 10 records it processes
            produce(lab, topic, users(30), 10);
            Map<Integer, Long> end = LabTopics.endOffsets(lab, topic);
            await("A processed " + stopAfter + " records and left the group", () -> !a.isRunning(), a, b);
            await("B took over every partition", () -> b.partitions().equals(Set.of(0, 1, 2)), a, b);
            // done when every record was processed - or when the group has committed the end of every partition
            // (lag 0): then nothing more will be read, and whatever was not processed by now is lost
            await("every record processed, or the group's lag at 0", () -> seen.stream().map(Seen::position).distinct().count() == total(end)
                    || LabTopics.committedOffsets(lab, group, topic).equals(end), a, b);
            workers.close(b);

            assertThat(a.failure()).as("A left cleanly").isNull();
            assertThat(byA.get()).as("records A processed before leaving").isEqualTo(stopAfter);
            Map<String, Long> timesProcessed = seen.stream().collect(Collectors.groupingBy(Seen::position, TreeMap::new, Collectors.counting()));
            assertThat(timesProcessed.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList())
                    .as("records processed twice within the group (A's processed but uncommitted work, redone by B)").isEmpty();
            Set<String> expected = new TreeSet<>();
            end.forEach((p, e) -> {
                for (long o = 0; o < e; o++) {
                    expected.add(p + "@" + o);
                }
            });
            Set<String> neverProcessed = new TreeSet<>(expected);
            neverProcessed.removeAll(timesProcessed.keySet());
            assertThat(neverProcessed).as("records never processed (partition@offset): lost in the handover").isEmpty();
            assertThat(timesProcessed.keySet()).as("processed records are the topic's records").isEqualTo(expected);
            assertThat(seen.stream().filter(s -> s.worker().equals("B") && ofA.contains(s.partition())).count())
                    .as("records B processed of the partitions A had (%s): B took over A's unfinished work", ofA).isPositive();
            assertThat(LabTopics.committedOffsets(lab, group, topic)).as("the group's committed offsets after B left: the log end")
                    .isEqualTo(end);
        }
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    /** The workers a test started, all closed at its end; a worker's failure (an unfinished TODO first) fails the test. */
    private static final class Workers implements AutoCloseable {
        private final List<GroupWorker> started = new ArrayList<>();

        GroupWorker start(LabConfig lab, String topic, String group, String name, GroupWorker.Handler handler) {
            GroupWorker w = GroupWorker.start(lab, topic, group, name, handler);
            started.add(w);
            return w;
        }

        /** Closes one worker now (it leaves the group), reporting its failure. */
        void close(GroupWorker w) {
            started.remove(w);
            try {
                w.close();
            } catch (RuntimeException e) {
                throw surfaced(w.name(), e);
            }
        }

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
    }

    private static String topic() {
        String topic = TestLab.unique("lesson03");
        LabKafka.ensureTopic(TestLab.config(), topic, PARTITIONS);
        return topic;
    }

    /** The partition Kafka's own default partitioner picks for this key (the producer's code, not the exercise's). */
    private static int kafkasPartitionFor(String key) {
        return BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), PARTITIONS);
    }

    private static long total(Map<Integer, Long> endOffsets) {
        return endOffsets.values().stream().mapToLong(Long::longValue).sum();
    }

    private static List<String> users(int count) {
        List<String> users = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            users.add(String.format("user-%02d", i));
        }
        return users;
    }

    /** user-01 #1, user-02 #1, ..., user-01 #2, ...: events of different users mixed, as they happen. */
    private static List<KeyedProducer.UserEvent> interleaved(List<String> users, int perUser) {
        List<KeyedProducer.UserEvent> events = new ArrayList<>();
        for (int seq = 1; seq <= perUser; seq++) {
            for (String user : users) {
                events.add(new KeyedProducer.UserEvent(user, seq, seq % 2 == 0 ? "pause_track" : "track_playback"));
            }
        }
        return events;
    }

    /** The test's own keyed producer (independent of the exercise): {@code perUser} events per user; returns how many. */
    private static int produce(LabConfig lab, String topic, List<String> users, int perUser) {
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
            for (KeyedProducer.UserEvent e : interleaved(users, perUser)) {
                producer.send(new ProducerRecord<>(topic, e.userId(), e.toJson()));
                count++;
            }
            producer.flush();
        }
        return count;
    }

    /**
     * Waits (bounded) until {@code condition} holds. A worker that failed ends the wait at once with its failure;
     * an unfinished TODO in it is rethrown as is, so the test names the TODO.
     */
    private static void await(String what, BooleanSupplier condition, GroupWorker... workers) throws InterruptedException {
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

    private static RuntimeException surfaced(String worker, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof Todo.NotDoneException todo) {
                // a new instance: the worker's close() reports the same failure again, and Java refuses to suppress an
                // exception into itself
                return new Todo.NotDoneException(todo.exercise(), todo.step(), todo.getMessage());
            }
        }
        return new IllegalStateException("worker " + worker + " failed: " + failure, failure);
    }
}
