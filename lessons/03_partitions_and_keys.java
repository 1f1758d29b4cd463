///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES ../lab/kafka/GroupWorker.java ../lab/kafka/KafkaTools.java ../lab/LabConfig.java ../lab/LabException.java ../lab/kafka/LabKafka.java ../lab/kafka/LabTopics.java ../lab/events/UserEvent.java ../lab/teaching/Lesson.java
//COMPILE_OPTIONS -encoding UTF-8
//SOURCES ../solutions/03_partitions_and_keys/1_key_to_partition/KeyToPartition.java ../solutions/03_partitions_and_keys/2_keyed_sends/KeyedSends.java
//SOURCES ../solutions/03_partitions_and_keys/3_commit_on_revoke/CommitOnRevoke.java ../solutions/03_partitions_and_keys/4_assign_all_partitions/AssignAllPartitions.java
//MAIN PartitionsAndKeysLesson
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=error -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.producer.internals.Sender=error -Dslf4j.internal.verbosity=WARN

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Lesson 03 — topics, partitions, keys and groups. A key picks the partition (murmur2 of the key), order holds per
 * key, the members of one group split the partitions, another group reads everything again, a member that
 * leaves hands its partitions over from the committed offsets - and the original's assign() in a loop, fixed.
 * The group members are lab/kafka/GroupWorker, committing by the rules of exercise 03.3.
 *
 *   ./jbang lesson03        (the lab must be running: ./jbang lab up, or docker compose up -d)
 */
class PartitionsAndKeysLesson {
    // the lesson's names; in a workshop each learner's own (lab.topic / lab.group: alice.user_events, alice.lesson03-readers)
    static String TOPIC = "user_events";
    static final int PARTITIONS = 3;
    static String READERS = "lesson03-readers";
    static String AUDIT = "lesson03-audit";

    /** One record as a worker processed it. */
    record Seen(String worker, int partition, long offset, String user, int seq) {}

    public static void main(String[] args) throws Exception {
        Lesson.run("03", lab -> run(lab));
    }

    static int run(LabConfig lab) throws Exception {
        TOPIC = lab.topic(TOPIC);
        READERS = lab.group(READERS);
        AUDIT = lab.group(AUDIT);
        Lesson.step(1, "A topic with " + PARTITIONS + " partitions");
        LabKafka.probe(lab, Duration.ofSeconds(5));
        LabTopics.deleteGroups(lab, List.of(READERS, AUDIT));
        LabTopics.recreate(lab, TOPIC, PARTITIONS);
        Lesson.say("(" + TOPIC + " and the groups " + READERS + ", " + AUDIT + " are deleted and made anew: the same story every run)");
        String[] describeArgs = {"--describe", "--topic", TOPIC};
        Lesson.say("$ " + KafkaTools.jbang(lab, KafkaTools.Tool.TOPICS, describeArgs));
        Lesson.say("  (docker compose: " + KafkaTools.docker(KafkaTools.Tool.TOPICS, describeArgs) + ")");
        KafkaTools.run(lab, KafkaTools.Tool.TOPICS, Duration.ofSeconds(60), describeArgs).outLines().forEach(l -> Lesson.saw(l.trim()));
        Lesson.say("A partition is a log of its own, with its own offsets 0, 1, 2, ... A topic is its partitions: they are what");
        Lesson.say("lets several consumers of one group read in parallel, and several brokers share the load.");

        Lesson.step(2, "Keys pick partitions (exercise 03.1)");
        // six random user ids, two per partition (drawn until it is so): every partition gets work in this demo
        List<String> users = new ArrayList<>();
        int[] perPartition = new int[PARTITIONS];
        while (users.size() < 2 * PARTITIONS) {
            String user = UUID.randomUUID().toString();
            if (perPartition[KeyToPartition.partitionFor(user, PARTITIONS)]++ < 2) {
                users.add(user);
            }
        }
        for (String user : users) {
            int hash = Utils.murmur2(user.getBytes(StandardCharsets.UTF_8));
            Lesson.saw("user " + shortId(user) + ": murmur2 = " + hash + ", toPositive = " + Utils.toPositive(hash)
                    + ", % " + PARTITIONS + " = partition " + KeyToPartition.partitionFor(user, PARTITIONS));
        }
        Lesson.say("With a key, the producer's default partitioner takes murmur2 of the key's bytes, drops the sign bit");
        Lesson.say("(Utils.toPositive) and takes it modulo the partition count. Same key, same partition - as long as the");
        Lesson.say("partition count does not change (add partitions, and keys move: choose the count up front).");

        Lesson.step(3, "Two members of one group split the partitions");
        Queue<Seen> seen = new ConcurrentLinkedQueue<>();
        AtomicInteger stopAAfter = new AtomicInteger(Integer.MAX_VALUE);
        AtomicInteger byA = new AtomicInteger();
        GroupWorker a = GroupWorker.start(lab, TOPIC, READERS, "A", new CommitOnRevoke(), (w, r) -> {
            seen.add(seen("A", r));
            if (byA.incrementAndGet() >= stopAAfter.get()) {
                w.stop();
            }
        });
        GroupWorker b = GroupWorker.start(lab, TOPIC, READERS, "B", new CommitOnRevoke(), (w, r) -> seen.add(seen("B", r)));
        try {
            await("A and B both own partitions", () -> !a.partitions().isEmpty() && !b.partitions().isEmpty(), a, b);
            Lesson.saw("A owns partitions " + a.partitions() + ", B owns " + b.partitions());
            Lesson.say("The group's coordinator (a broker) gave each member a share; each partition has exactly one owner");
            Lesson.say("in the group. A third member of a 3-partition group would get one; a fourth would get none and idle.");
            Lesson.say("What each member's ConsumerRebalanceListener heard so far:");
            a.events().forEach(e -> Lesson.saw("A: " + e));
            b.events().forEach(e -> Lesson.saw("B: " + e));

            Lesson.step(4, "Send 4 events per user, the users' events mixed, key = user id (exercise 03.2)");
            List<UserEvent> events = events(users, 1, 4);
            List<RecordMetadata> landed = send(lab, events);
            int predicted = 0;
            for (int i = 0; i < events.size(); i++) {
                predicted += landed.get(i).partition() == KeyToPartition.partitionFor(events.get(i).userId(), PARTITIONS) ? 1 : 0;
            }
            Lesson.saw(predicted + " of " + events.size() + " landed in the partition murmur2 predicted");
            await("all " + events.size() + " events processed", () -> seen.size() >= events.size(), a, b);
            for (int p = 0; p < PARTITIONS; p++) {
                int partition = p;
                List<Seen> inP = seen.stream().filter(s -> s.partition() == partition).sorted((x, y) -> Long.compare(x.offset(), y.offset())).toList();
                Lesson.saw("partition " + p + " (read by " + inP.stream().map(Seen::worker).distinct().toList() + "): "
                        + inP.stream().map(s -> shortId(s.user()) + "#" + s.seq()).collect(Collectors.joining(" ")));
            }
            Lesson.say("Each user's events are in one partition, and in the order sent: #1 #2 #3 #4. Within a partition the");
            Lesson.say("offsets give the order; across partitions there is none. Need order per user? Key by user.");

            Lesson.step(5, "A second group reads everything again");
            Queue<Seen> audited = new ConcurrentLinkedQueue<>();
            try (GroupWorker c = GroupWorker.start(lab, TOPIC, AUDIT, "C", new CommitOnRevoke(), (w, r) -> audited.add(seen("C", r)))) {
                await("the audit group read all " + events.size() + " events", () -> audited.size() >= events.size(), c);
                Lesson.saw("group " + AUDIT + " (one member, C, owning " + c.partitions() + ") read " + audited.size() + " events");
            }
            Lesson.saw(AUDIT + " committed " + LabTopics.committedOffsets(lab, AUDIT, TOPIC) + " when C left (partition=offset; log end "
                    + LabTopics.endOffsets(lab, TOPIC) + "); " + READERS + "'s offsets are its own");
            Lesson.say("Groups do not share offsets: every group reads the whole topic, at its own pace. That is how one topic feeds");
            Lesson.say("a Parquet sink, ClickHouse and a monitoring job at once (lessons 06 and 08), each a group of its own.");

            Lesson.step(6, "A member leaves in the middle of its work (exercise 03.3)");
            int before = seen.size();
            stopAAfter.set(byA.get() + 5);
            List<UserEvent> more = events(users, 5, 10);
            send(lab, more);
            Lesson.saw("sent " + more.size() + " more events; A stops after processing 5 of them and leaves the group");
            Map<Integer, Long> end = LabTopics.endOffsets(lab, TOPIC);
            long total = end.values().stream().mapToLong(Long::longValue).sum();
            await("A left", () -> !a.isRunning(), a, b);
            await("B owns every partition", () -> b.partitions().equals(Set.of(0, 1, 2)), b);
            await("every event processed by the group", () -> seen.stream().map(s -> s.partition() + "@" + s.offset()).distinct().count() == total, b);
            List<String> aEvents = a.events();
            List<String> bEvents = b.events();
            aEvents.subList(Math.max(0, aEvents.size() - 2), aEvents.size()).forEach(e -> Lesson.saw("A: " + e));
            bEvents.subList(Math.max(0, bEvents.size() - 4), bEvents.size()).forEach(e -> Lesson.saw("B: " + e));
            Map<String, Long> times = seen.stream().collect(Collectors.groupingBy(s -> s.partition() + "@" + s.offset(), TreeMap::new, Collectors.counting()));
            long twice = times.values().stream().filter(n -> n > 1).count();
            Lesson.saw((seen.size() - before) + " events processed since; " + times.size() + " of " + total
                    + " records processed by the group, " + twice + " of them twice");
            Lesson.say("When A left, its listener's onPartitionsRevoked committed exactly what A had processed (not what it had");
            Lesson.say("polled: it stopped mid-batch). The rebalance gave A's partitions to B, which went on from those commits.");
            Lesson.say("With the default assignor every member gives back all its partitions at each rebalance (B too: 'revoked'),");
            Lesson.say("then gets its new share. Without that commit B would re-read A's work since A's last periodic commit.");
        } finally {
            a.close();
            b.close();
        }

        Lesson.step(7, "kafka-consumer-groups --describe --group " + READERS);
        String[] groupArgs = {"--describe", "--group", READERS};
        Lesson.say("$ " + KafkaTools.jbang(lab, KafkaTools.Tool.CONSUMER_GROUPS, groupArgs));
        Lesson.say("  (docker compose: " + KafkaTools.docker(KafkaTools.Tool.CONSUMER_GROUPS, groupArgs) + ")");
        KafkaTools.Result described = KafkaTools.run(lab, KafkaTools.Tool.CONSUMER_GROUPS, Duration.ofSeconds(60), groupArgs);
        described.outLines().forEach(Lesson::saw);
        described.errLines().forEach(Lesson::saw);
        Lesson.say("One row per partition; LAG = LOG-END-OFFSET - CURRENT-OFFSET. B committed what it had processed when it left.");

        Lesson.step(8, "The original's consumer: assign() in a loop over the partitions (exercise 03.4)");
        long total = LabTopics.endOffsets(lab, TOPIC).values().stream().mapToLong(Long::longValue).sum();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(noGroup(lab))) {
            Lesson.say("for (PartitionInfo p : consumer.partitionsFor(topic)) consumer.assign(List.of(new TopicPartition(topic, p.partition())));");
            for (PartitionInfo p : consumer.partitionsFor(TOPIC)) {
                consumer.assign(List.of(new TopicPartition(TOPIC, p.partition())));
            }
            Lesson.saw("assignment after the loop: " + consumer.assignment() + "; read from the beginning: "
                    + readAssigned(consumer) + " of the " + total + " messages in the topic");
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(noGroup(lab))) {
            Lesson.saw("AssignAllPartitions.assignAll: " + AssignAllPartitions.assignAll(consumer, TOPIC) + "; read from the beginning: "
                    + readAssigned(consumer) + " of the " + total);
        }
        Lesson.say("assign() replaces the whole assignment: it does not add to it. The fix collects the partitions and assigns");
        Lesson.say("them once (or subscribes as a group member). Nothing failed in the original: it just never read the rest.");
        Lesson.say("Your exercises: exercises/03_partitions_and_keys/ - 1_key_to_partition ... 4_assign_all_partitions.");
        Lesson.say("Check one: ./jbang course verify 03.1");
        return 0;
    }

    /** A consumer of no group (it takes partitions with assign()). */
    static Properties noGroup(LabConfig lab) {
        Properties props = lab.kafkaProperties();
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return props;
    }

    /** Reads what the consumer's assignment holds, from the beginning to the end of each assigned partition; returns how many. */
    static int readAssigned(KafkaConsumer<String, String> consumer) {
        consumer.seekToBeginning(consumer.assignment());
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        int read = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (end.keySet().stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
            if (System.nanoTime() > deadline) {
                throw new LabException("Reading " + TOPIC + " took more than 30 s");
            }
            read += consumer.poll(Duration.ofMillis(100)).count();
        }
        return read;
    }

    /** Exercise 03.2's keyed, ordered sends, with a producer made of its settings. */
    static List<RecordMetadata> send(LabConfig lab, List<UserEvent> events) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(KeyedSends.config(lab))) {
            return KeyedSends.send(producer, TOPIC, events);
        }
    }

    static List<UserEvent> events(List<String> users, int fromSeq, int toSeq) {
        List<UserEvent> events = new ArrayList<>();
        for (int seq = fromSeq; seq <= toSeq; seq++) {
            for (String user : users) {
                events.add(new UserEvent(user, seq, seq % 3 == 0 ? "pause_track" : "track_playback"));
            }
        }
        return events;
    }

    static Seen seen(String worker, ConsumerRecord<String, String> r) {
        try {
            UserEvent e = UserEvent.fromJson(r.value());
            return new Seen(worker, r.partition(), r.offset(), e.userId(), e.seq());
        } catch (IllegalArgumentException notAUserEvent) {
            return new Seen(worker, r.partition(), r.offset(), String.valueOf(r.key()), -1);
        }
    }

    static String shortId(String uuid) {
        return uuid.substring(0, 8);
    }

    /** Waits until {@code condition} holds, at most 30 s; a failed worker ends the wait with its error. */
    static void await(String what, BooleanSupplier condition, GroupWorker... workers) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            for (GroupWorker w : workers) {
                if (w.failure() != null) {
                    throw new LabException("Worker " + w.name() + " failed: " + w.failure(), w.failure());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new LabException("Waited 30 s for: " + what + ". Is the lab healthy? ./jbang lab status");
            }
            Thread.sleep(50);
        }
    }
}
