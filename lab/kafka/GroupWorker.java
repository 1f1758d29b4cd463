//SOURCES ../LabConfig.java ../LabException.java LabKafka.java
//COMPILE_OPTIONS -encoding UTF-8
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A member of a consumer group on its own thread, the engine of lesson 03: it joins the group, processes each record
 * with a {@link Handler}, commits what it processed every {@link #COMMIT_INTERVAL}, hears about every rebalance, and
 * can stop in the middle of a batch. What to commit, and what to do when partitions are taken away, it asks its
 * {@link Commits}: a member that gets that wrong makes the next owner of a partition process records twice, or never.
 */
public final class GroupWorker implements AutoCloseable {
    /** What to do with each record. Runs on the worker's thread; may call {@link GroupWorker#stop()}. */
    public interface Handler {
        void handle(GroupWorker worker, ConsumerRecord<String, String> record);
    }

    /** The member's commit rules: the seam between this engine and the code that decides what "done" means. */
    public interface Commits {
        /** The offset to commit for {@code record}'s partition once the handler has processed it. */
        OffsetAndMetadata processed(ConsumerRecord<String, String> record);

        /**
         * Some partitions are taken away from this member (a rebalance, or the member leaving): {@code processed} holds,
         * for each of them that it processed anything of, what {@link #processed} said after its last processed record.
         * Not called when it processed nothing of them: there is nothing to commit.
         * Runs on the worker's thread, inside {@code poll()} or {@code close()}, before the partitions move on.
         */
        void onRevoked(Consumer<String, String> consumer, Map<TopicPartition, OffsetAndMetadata> processed);
    }

    /** Commits between rebalances come this often (auto-commit's default): not one round trip per batch. */
    static final Duration COMMIT_INTERVAL = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofMillis(100);

    private final String name;
    private final String topic;
    private final Properties config;
    private final Handler handler;
    private final Commits commits;
    private final Thread thread;
    /** Per partition, what {@link Commits#processed} said of its last processed record: what to commit. Worker's thread only. */
    private final Map<TopicPartition, OffsetAndMetadata> processed = new HashMap<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private volatile Set<Integer> owned = Set.of();
    private volatile boolean stopping;
    private volatile Throwable failure;

    private GroupWorker(String name, String topic, Properties config, Commits commits, Handler handler) {
        this.name = name;
        this.topic = topic;
        this.config = config;
        this.commits = commits;
        this.handler = handler;
        this.thread = new Thread(this::run, "group-worker-" + name);
        // a worker must never keep a lesson's JVM alive
        this.thread.setDaemon(true);
    }

    /** The consumer's settings: a member of {@code groupId} that commits by hand. */
    static Properties consumerConfig(LabConfig lab, String groupId, String name) {
        Properties props = lab.kafkaProperties();
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        // members of one group share the topic's partitions; the broker keeps the group's committed offsets
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        // the worker commits what was processed: every COMMIT_INTERVAL, and (its Commits decide) when partitions are taken away
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // a new group starts at the oldest message (the default, latest, would skip what was written before it joined)
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // names this member in kafka-consumer-groups --describe (CLIENT-ID) and in the broker's logs
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-" + name);
        return props;
    }

    /**
     * Starts a member of {@code groupId} reading {@code topic} on its own thread, handing each record to {@code handler}
     * and committing by {@code commits}.
     */
    public static GroupWorker start(LabConfig lab, String topic, String groupId, String name, Commits commits, Handler handler) {
        GroupWorker worker = new GroupWorker(name, topic, consumerConfig(lab, groupId, name), commits, handler);
        worker.thread.start();
        return worker;
    }

    private void run() {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic), new Rebalances(consumer));
            long nextCommit = System.nanoTime() + COMMIT_INTERVAL.toNanos();
            while (!stopping) {
                for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                    if (stopping) {
                        // leave mid-batch: the records not processed are not marked, so not committed; the next owner reads them
                        break;
                    }
                    handler.handle(this, record);
                    processed.put(new TopicPartition(record.topic(), record.partition()), commits.processed(record));
                }
                if (System.nanoTime() >= nextCommit && !processed.isEmpty()) {
                    consumer.commitSync(new HashMap<>(processed));
                    nextCommit = System.nanoTime() + COMMIT_INTERVAL.toNanos();
                }
            }
            note("leaving the group");
            // closing leaves the group: the listener's onPartitionsRevoked runs first, for every partition we own
        } catch (Throwable t) {
            failure = t;
            note("failed: " + t);
        } finally {
            owned = Set.of();
        }
    }

    /** Hears about every rebalance of this member: which partitions it gets, which it must give up. */
    private final class Rebalances implements ConsumerRebalanceListener {
        private final KafkaConsumer<String, String> consumer;

        Rebalances(KafkaConsumer<String, String> consumer) {
            this.consumer = consumer;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            TreeSet<Integer> now = new TreeSet<>(owned);
            partitions.forEach(tp -> now.add(tp.partition()));
            owned = Collections.unmodifiableSortedSet(now);
            note("assigned " + numbers(partitions) + ", owns " + now);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> done = processedOf(partitions);
            if (!done.isEmpty()) { // nothing processed of them (a member joined before any record came): nothing to commit
                commits.onRevoked(consumer, Collections.unmodifiableMap(done));
            }
            // forget them: committing them later would overwrite the new owner's progress with ours
            partitions.forEach(processed::remove);
            TreeSet<Integer> now = new TreeSet<>(owned);
            partitions.forEach(tp -> now.remove(tp.partition()));
            owned = Collections.unmodifiableSortedSet(now);
            note("revoked " + numbers(partitions) + (done.isEmpty() ? "" : ", processed up to " + offsets(done)) + ", owns " + now);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // lost, not revoked: the group has already moved them on (we were cut off or too slow), so a commit would
            // be refused; the new owner goes on from the last commit and may repeat what we processed since
            partitions.forEach(processed::remove);
            TreeSet<Integer> now = new TreeSet<>(owned);
            partitions.forEach(tp -> now.remove(tp.partition()));
            owned = Collections.unmodifiableSortedSet(now);
            note("lost " + numbers(partitions) + ", owns " + now);
        }
    }

    private Map<TopicPartition, OffsetAndMetadata> processedOf(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        for (TopicPartition tp : partitions) {
            if (processed.containsKey(tp)) {
                done.put(tp, processed.get(tp));
            }
        }
        return done;
    }

    /** Asks the worker to stop after the record it is processing; it then leaves the group. From any thread, or the handler. */
    public void stop() {
        stopping = true;
    }

    /** Stops the worker and waits until it has left the group; rethrows what made it fail, if anything did. */
    @Override
    public void close() {
        stop();
        try {
            thread.join(Duration.ofSeconds(40).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw new IllegalStateException("worker " + name + " failed: " + failure, failure);
        }
    }

    public String name() {
        return name;
    }

    /** The partition numbers this member owns now (empty before its first assignment and after it left). */
    public Set<Integer> partitions() {
        return owned;
    }

    /** True until the worker has left the group. */
    public boolean isRunning() {
        return thread.isAlive();
    }

    /** What made the worker stop, if it failed (null otherwise). */
    public Throwable failure() {
        return failure;
    }

    /** What happened to this member, in order: assignments, revocations, leaving. */
    public List<String> events() {
        return List.copyOf(events);
    }

    private void note(String event) {
        events.add(event);
    }

    private static Set<Integer> numbers(Collection<TopicPartition> partitions) {
        Set<Integer> numbers = new TreeSet<>();
        partitions.forEach(tp -> numbers.add(tp.partition()));
        return numbers;
    }

    private static Map<Integer, Long> offsets(Map<TopicPartition, OffsetAndMetadata> offsets) {
        Map<Integer, Long> byNumber = new TreeMap<>();
        offsets.forEach((tp, o) -> byNumber.put(tp.partition(), o.offset()));
        return byNumber;
    }
}
