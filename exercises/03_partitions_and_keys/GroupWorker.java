///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES ../../lab/LabConfig.java ../../lab/LabException.java ../../lab/kafka/LabKafka.java ../../lab/teaching/Todo.java
//COMPILE_OPTIONS -encoding UTF-8
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=error

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

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Lesson 03, a member of a consumer group that survives rebalances: it processes records on its own thread,
 * commits what it processed every few seconds, and - the point of this class - commits what it processed of a
 * partition the moment that partition is taken away (a rebalance, or leaving the group), so the next owner goes on
 * exactly after the last processed record: nothing processed twice, nothing skipped.
 * Your exercise: TODO 03.3 and 03.4 (03.1 and 03.2 are in KeyedProducer.java). Check them: {@code ./jbang course verify 03};
 * run it: {@code ./jbang exercises/03_partitions_and_keys/GroupWorker.java [topic] [group]} (twice, in two terminals).
 */
public final class GroupWorker implements AutoCloseable {
    /** What to do with each record. Runs on the worker's thread; may call {@link GroupWorker#stop()}. */
    public interface Handler {
        void handle(GroupWorker worker, ConsumerRecord<String, String> record);
    }

    /** Commits between rebalances come this often (auto-commit's default): not one round trip per batch. */
    static final Duration COMMIT_INTERVAL = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofMillis(100);

    private final String name;
    private final String topic;
    private final Properties config;
    private final Handler handler;
    private final Thread thread;
    /** Per partition, the offset after the last record processed: what to commit. Used on the worker's thread only. */
    private final Map<TopicPartition, OffsetAndMetadata> processed = new HashMap<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private volatile Set<Integer> owned = Set.of();
    private volatile boolean stopping;
    private volatile Throwable failure;

    private GroupWorker(String name, String topic, Properties config, Handler handler) {
        this.name = name;
        this.topic = topic;
        this.config = config;
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
        // we commit what we processed, ourselves: every COMMIT_INTERVAL and when partitions are taken away
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // a new group starts at the oldest message (the default, latest, would skip what was written before it joined)
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // names this member in kafka-consumer-groups --describe (CLIENT-ID) and in the broker's logs
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-" + name);
        return props;
    }

    /** Starts a member of {@code groupId} reading {@code topic} on its own thread, handing each record to {@code handler}. */
    public static GroupWorker start(LabConfig lab, String topic, String groupId, String name, Handler handler) {
        GroupWorker worker = new GroupWorker(name, topic, consumerConfig(lab, groupId, name), handler);
        worker.thread.start();
        return worker;
    }

    private void run() {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic), new CommitOnRevoke(consumer));
            long nextCommit = System.nanoTime() + COMMIT_INTERVAL.toNanos();
            while (!stopping) {
                for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                    if (stopping) {
                        // leave mid-batch: the records not processed are not marked, so not committed; the next owner reads them
                        break;
                    }
                    handler.handle(this, record);
                    // TODO 03.3: the record is processed: remember it in 'processed', the map of what to commit. Key: the
                    //  record's TopicPartition; value: new OffsetAndMetadata(...) of the offset the group should read NEXT in
                    //  that partition (a committed offset means "go on from here", so: this record's offset, or the one after?).
                    //  Remove the Todo line when you are done.
                    Todo.todo("03", 3, "remember each processed record's next offset in 'processed' in run()");
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
    private final class CommitOnRevoke implements ConsumerRebalanceListener {
        private final KafkaConsumer<String, String> consumer;

        CommitOnRevoke(KafkaConsumer<String, String> consumer) {
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
            if (!done.isEmpty()) {
                // TODO 03.4: these partitions go to another member (or nowhere: we are leaving the group). 'done' holds, for
                //  each, the offset after the last record we processed; our last commit may be up to 5 s older. Commit
                //  'done' now, synchronously, before the rebalance goes on, so the next owner starts right after our last
                //  processed record: nothing processed twice, nothing skipped.
                //  (Why not consumer.commitSync() with no arguments? Look at where run() stops when asked to.)
                //  Remove the Todo line when you are done.
                Todo.todo("03", 4, "commit the processed offsets of the revoked partitions in onPartitionsRevoked()");
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

    public static void main(String[] args) throws Exception {
        String topic = args.length > 0 ? args[0] : "user_events";
        String group = args.length > 1 ? args[1] : "user_events_workers";
        LabConfig lab = LabConfig.fromEnvironment();
        try {
            LabKafka.probe(lab, Duration.ofSeconds(5));
            String name = "worker-" + ProcessHandle.current().pid();
            GroupWorker worker = start(lab, topic, group, name, (w, r) ->
                    System.out.printf("partition %d offset %d key %s: %s%n", r.partition(), r.offset(), r.key(), r.value()));
            System.out.println(name + " reads " + topic + " in group " + group + ". Start a second one in another terminal and watch"
                    + " the partitions move; Ctrl-C leaves the group.");
            Runtime.getRuntime().addShutdownHook(new Thread(worker::close));
            int shown = 0;
            while (worker.isRunning()) {
                List<String> events = worker.events();
                for (; shown < events.size(); shown++) {
                    System.out.println("[" + name + "] " + events.get(shown));
                }
                Thread.sleep(200);
            }
        } catch (LabException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }
}
