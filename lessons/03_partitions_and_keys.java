///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES ../lab/kafka/KafkaTools.java ../lab/LabConfig.java ../lab/LabException.java ../lab/kafka/LabKafka.java ../lab/kafka/LabTopics.java ../lab/teaching/Lesson.java
//COMPILE_OPTIONS -encoding UTF-8
//SOURCES ../solutions/03_partitions_and_keys/KeyedProducer.java ../solutions/03_partitions_and_keys/GroupWorker.java
//MAIN PartitionsAndKeysLesson
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=error -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.producer.internals.Sender=error -Dslf4j.internal.verbosity=WARN

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.utils.Utils;

/**
 * Lesson 03 — topics, partitions, keys and groups. A key picks the partition (murmur2 of the key), order holds per
 * key, the members of one group split the partitions, another group reads everything again, and a member that
 * leaves hands its partitions over from the committed offsets.
 *
 *   ./jbang lesson03        (the lab must be running: ./jbang lab up, or docker compose up -d)
 */
class PartitionsAndKeysLesson {
    static final String TOPIC = "user_events";
    static final int PARTITIONS = 3;
    static final String READERS = "lesson03-readers";
    static final String AUDIT = "lesson03-audit";
    static final ObjectMapper JSON = new ObjectMapper();

    /** One record as a worker processed it. */
    record Seen(String worker, int partition, long offset, String user, int seq) {}

    public static void main(String[] args) throws Exception {
        Lesson.run("03", lab -> run(lab));
    }

    static int run(LabConfig lab) throws Exception {
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

        Lesson.step(2, "Keys pick partitions");
        // six random user ids, two per partition (drawn until it is so): every partition gets work in this demo
        List<String> users = new ArrayList<>();
        int[] perPartition = new int[PARTITIONS];
        while (users.size() < 2 * PARTITIONS) {
            String user = UUID.randomUUID().toString();
            if (perPartition[KeyedProducer.partitionFor(user, PARTITIONS)]++ < 2) {
                users.add(user);
            }
        }
        for (String user : users) {
            int hash = Utils.murmur2(user.getBytes(StandardCharsets.UTF_8));
            Lesson.saw("user " + shortId(user) + ": murmur2 = " + hash + ", toPositive = " + Utils.toPositive(hash)
                    + ", % " + PARTITIONS + " = partition " + KeyedProducer.partitionFor(user, PARTITIONS));
        }
        Lesson.say("With a key, the producer's default partitioner takes murmur2 of the key's bytes, drops the sign bit");
        Lesson.say("(Utils.toPositive) and takes it modulo the partition count. Same key, same partition - as long as the");
        Lesson.say("partition count does not change (add partitions, and keys move: choose the count up front).");

        Lesson.step(3, "Two members of one group split the partitions");
        Queue<Seen> seen = new ConcurrentLinkedQueue<>();
        AtomicInteger stopAAfter = new AtomicInteger(Integer.MAX_VALUE);
        AtomicInteger byA = new AtomicInteger();
        GroupWorker a = GroupWorker.start(lab, TOPIC, READERS, "A", (w, r) -> {
            seen.add(seen("A", r));
            if (byA.incrementAndGet() >= stopAAfter.get()) {
                w.stop();
            }
        });
        GroupWorker b = GroupWorker.start(lab, TOPIC, READERS, "B", (w, r) -> seen.add(seen("B", r)));
        try {
            await("A and B both own partitions", () -> !a.partitions().isEmpty() && !b.partitions().isEmpty(), a, b);
            Lesson.saw("A owns partitions " + a.partitions() + ", B owns " + b.partitions());
            Lesson.say("The group's coordinator (a broker) gave each member a share; each partition has exactly one owner");
            Lesson.say("in the group. A third member of a 3-partition group would get one; a fourth would get none and idle.");
            Lesson.say("What each member's ConsumerRebalanceListener heard so far:");
            a.events().forEach(e -> Lesson.saw("A: " + e));
            b.events().forEach(e -> Lesson.saw("B: " + e));

            Lesson.step(4, "Send 4 events per user, the users' events mixed (key = user id)");
            List<KeyedProducer.UserEvent> events = events(users, 1, 4);
            List<RecordMetadata> landed = KeyedProducer.send(lab, TOPIC, events);
            int predicted = 0;
            for (int i = 0; i < events.size(); i++) {
                predicted += landed.get(i).partition() == KeyedProducer.partitionFor(events.get(i).userId(), PARTITIONS) ? 1 : 0;
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
            try (GroupWorker c = GroupWorker.start(lab, TOPIC, AUDIT, "C", (w, r) -> audited.add(seen("C", r)))) {
                await("the audit group read all " + events.size() + " events", () -> audited.size() >= events.size(), c);
                Lesson.saw("group " + AUDIT + " (one member, C, owning " + c.partitions() + ") read " + audited.size() + " events");
            }
            Lesson.saw(AUDIT + " committed " + LabTopics.committedOffsets(lab, AUDIT, TOPIC) + " when C left (partition=offset; log end "
                    + LabTopics.endOffsets(lab, TOPIC) + "); " + READERS + "'s offsets are its own");
            Lesson.say("Groups do not share offsets: every group reads the whole topic, at its own pace. That is how one topic feeds");
            Lesson.say("a Parquet sink, ClickHouse and a monitoring job at once (lessons 06 and 08), each a group of its own.");

            Lesson.step(6, "A member leaves in the middle of its work");
            int before = seen.size();
            stopAAfter.set(byA.get() + 5);
            List<KeyedProducer.UserEvent> more = events(users, 5, 10);
            KeyedProducer.send(lab, TOPIC, more);
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
        Lesson.say("One row per partition, LAG 0 on each: when B left too, it committed what it had processed.");
        Lesson.say("Your exercise: exercises/03_partitions_and_keys/ (KeyedProducer.java, GroupWorker.java). Check it: ./jbang course verify 03");
        return 0;
    }

    static List<KeyedProducer.UserEvent> events(List<String> users, int fromSeq, int toSeq) {
        List<KeyedProducer.UserEvent> events = new ArrayList<>();
        for (int seq = fromSeq; seq <= toSeq; seq++) {
            for (String user : users) {
                events.add(new KeyedProducer.UserEvent(user, seq, seq % 3 == 0 ? "pause_track" : "track_playback"));
            }
        }
        return events;
    }

    static Seen seen(String worker, ConsumerRecord<String, String> r) {
        try {
            JsonNode value = JSON.readTree(r.value());
            return new Seen(worker, r.partition(), r.offset(), value.path("user_id").asText(), value.path("seq").asInt());
        } catch (Exception e) {
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
