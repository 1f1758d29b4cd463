///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES ../lab/kafka/ConsumerLoop.java ../lab/kafka/KafkaTools.java ../lab/LabConfig.java ../lab/LabException.java ../lab/kafka/LabKafka.java ../lab/kafka/LabTopics.java ../lab/teaching/Lesson.java
//COMPILE_OPTIONS -encoding UTF-8
//SOURCES ../solutions/01_simple_producer/1_producer_settings/ProducerSettings.java ../solutions/01_simple_producer/2_person_message/PersonMessage.java ../solutions/01_simple_producer/3_send_with_callback/SendWithCallback.java
//SOURCES ../solutions/02_cli_and_groups/1_group_settings/GroupSettings.java ../solutions/02_cli_and_groups/2_commit_after_batch/CommitAfterBatch.java ../solutions/02_cli_and_groups/3_read_without_group/ReadWithoutGroup.java
//SOURCES ../solutions/02_cli_and_groups/4_group_lag/GroupLag.java ../solutions/02_cli_and_groups/5_reset_offsets/ResetOffsets.java
//MAIN CliAndGroupsLesson
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=error -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.producer.internals.Sender=error -Dslf4j.internal.verbosity=WARN

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import net.datafaker.Faker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Lesson 02 — reading from the command line, consumer groups and offsets. Kafka's own kafka-console-consumer
 * three ways (everything, only new messages, as a group), kafka-consumer-groups --describe, then the same in Java.
 *
 *   ./jbang lesson02        (the lab must be running: ./jbang lab up, or docker compose up -d)
 */
class CliAndGroupsLesson {
    // the original's names; in a workshop each learner's own (lab.topic / lab.group: alice.my_topic, alice.mygroupcli)
    static String TOPIC = "my_topic";
    static String CLI_GROUP = "mygroupcli";
    static String JAVA_GROUP = "mygroupjava";
    static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    public static void main(String[] args) throws Exception {
        Lesson.run("02", lab -> run(lab));
    }

    static int run(LabConfig lab) throws Exception {
        TOPIC = lab.topic(TOPIC);
        CLI_GROUP = lab.group(CLI_GROUP);
        JAVA_GROUP = lab.group(JAVA_GROUP);
        Lesson.step(1, TOPIC + ", and a clean start");
        LabKafka.probe(lab, Duration.ofSeconds(5));
        LabKafka.ensureTopic(lab, TOPIC, 1);
        long end = total(LabTopics.endOffsets(lab, TOPIC));
        if (end < 5) {
            producePeople(lab, TOPIC, 5);
            Lesson.saw(TOPIC + " had " + end + " message(s); lesson 01's producer wrote 5 people into it");
            end = total(LabTopics.endOffsets(lab, TOPIC));
        }
        Lesson.saw(TOPIC + " holds " + end + " messages (offsets 0.." + (end - 1) + ")");
        LabTopics.deleteGroups(lab, List.of(CLI_GROUP, JAVA_GROUP));
        Lesson.say("So that every run tells the same story, the groups " + CLI_GROUP + " and " + JAVA_GROUP + " of an earlier run");
        Lesson.say("are deleted first (by hand: " + KafkaTools.jbang(lab, KafkaTools.Tool.CONSUMER_GROUPS, "--delete", "--group", CLI_GROUP) + ").");
        Lesson.say("Kafka's own tools run here from Maven Central, the same classes as the distribution's bin/*.sh.");

        Lesson.step(2, "Everything: kafka-console-consumer --from-beginning");
        KafkaTools.Result all = console(lab, "--topic", TOPIC, "--from-beginning", "--max-messages", Long.toString(end), "--timeout-ms", "15000");
        showMessages(all);
        Lesson.say("--from-beginning starts at the oldest message still kept. --max-messages " + end + " stops the tool once it printed");
        Lesson.say("the " + end + " messages the topic holds, --timeout-ms after 15 s with nothing new (without them it waits for new");
        Lesson.say("messages until Ctrl-C). With no --group, the tool joins a throwaway group of its own and commits nothing:");
        Lesson.say("run it again and it prints everything again. Nothing was removed: reading a Kafka topic does not consume");
        Lesson.say("it away. Write once, read many times.");

        Lesson.step(3, "Only new messages: the same without --from-beginning");
        AtomicInteger written = new AtomicInteger();
        AtomicLong startedAt = new AtomicLong(-1);
        List<String> fresh = onlyNewMessages(lab, written, startedAt);
        for (String line : fresh) {
            Lesson.saw(line);
        }
        if (startedAt.get() >= 0) {
            Lesson.saw("the consumer's position was set to offset " + startedAt.get() + " (the log held " + end + " messages): "
                    + (startedAt.get() == end ? "the END of the log" : "not the end the lesson measured"));
        }
        Lesson.saw(fresh.size() + " printed; " + written.get() + " written after the consumer had its position; "
                + (fresh.size() == written.get() ? "none of the " + end + " older ones" : "compare the two counts"));
        Lesson.say("Without --from-beginning a consumer with no committed offset starts at the END of the log (auto.offset.reset");
        Lesson.say("=latest): it prints only what is written while it runs. Once its position was set (it logs \"Resetting offset");
        Lesson.say("for partition ...\"), lesson 01's producer wrote a person every 0.5 s, and --max-messages 3 stopped the tool.");

        Lesson.step(4, "As a group: kafka-console-consumer --group " + CLI_GROUP);
        long before = total(LabTopics.endOffsets(lab, TOPIC));
        Lesson.say("a) the first run of a new group, with --from-beginning:");
        long read = processed(showMessages(console(lab, "--topic", TOPIC, "--group", CLI_GROUP, "--from-beginning",
                "--max-messages", Long.toString(before), "--timeout-ms", "15000")));
        Lesson.say("   The group had no committed offset, so --from-beginning applied: " + (read == before ? "everything, " + before
                + " messages." : read + " of the " + before + " messages."));
        Lesson.say("   On exit the tool committed where it got to (the console consumer auto-commits, and commits on close).");
        Instant beforeThree = Instant.now();
        producePeople(lab, TOPIC, 3);
        long unread = total(LabTopics.endOffsets(lab, TOPIC)) - total(LabTopics.committedOffsets(lab, CLI_GROUP, TOPIC));
        Lesson.say("b) lesson 01's producer wrote 3 more people: " + unread + " message(s) past the group's committed offset. The same");
        Lesson.say("   group again, without --from-beginning:");
        read = processed(showMessages(console(lab, "--topic", TOPIC, "--group", CLI_GROUP, "--max-messages", Long.toString(Math.max(1, unread)),
                "--timeout-ms", "15000")));
        Lesson.say("   " + (read == 3 ? "Only the 3 new ones" : read + " messages") + ": the group went on from its committed offset -"
                + " the messages it had not read yet.");
        Lesson.say("c) once more:");
        read = processed(showMessages(console(lab, "--topic", TOPIC, "--group", CLI_GROUP, "--from-beginning", "--timeout-ms", "4000")));
        Lesson.say("   " + (read == 0 ? "Nothing" : read + " messages (written since b)") + ", even with --from-beginning: it only"
                + " matters for a group with no committed offset.");
        Lesson.say("   To read again from the start, use another group, or reset this one's offsets (kafka-consumer-groups --reset-offsets).");

        Lesson.step(5, "kafka-consumer-groups --describe --group " + CLI_GROUP);
        Map<String, String> row = describe(lab, CLI_GROUP);
        Lesson.say("CURRENT-OFFSET " + row.get("CURRENT-OFFSET") + " is the group's committed offset: the next offset it will read.");
        Lesson.say("LOG-END-OFFSET " + row.get("LOG-END-OFFSET") + " is the offset the next message written will get (messages so far: offsets 0.."
                + (Long.parseLong(row.get("LOG-END-OFFSET")) - 1) + ").");
        Lesson.say("LAG " + row.get("LAG") + " = LOG-END-OFFSET - CURRENT-OFFSET: messages written that the group has not read yet.");
        Lesson.say("CONSUMER-ID '-': no member runs now. The offsets stay at the broker (topic __consumer_offsets) all the same.");
        producePeople(lab, TOPIC, 2);
        Lesson.say("Lesson 01's producer writes 2 more people; describe again:");
        row = describe(lab, CLI_GROUP);
        Lesson.say("LOG-END-OFFSET moved to " + row.get("LOG-END-OFFSET") + ", CURRENT-OFFSET stayed at " + row.get("CURRENT-OFFSET")
                + ": LAG " + row.get("LAG") + ". Lag is the number to watch on a real consumer: growing lag = falling behind.");

        Lesson.step(6, "The same in Java: a consumer group that commits after each batch (exercises 02.1 and 02.2)");
        Properties settings = GroupSettings.config(lab, JAVA_GROUP);
        for (String key : List.of(ConsumerConfig.GROUP_ID_CONFIG, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG)) {
            Lesson.saw(key + " = " + settings.getProperty(key));
        }
        Lesson.say("The loop (lab/kafka/ConsumerLoop.java) joins the group, polls, and hands each batch to CommitAfterBatch,");
        Lesson.say("which processes every record and only then commits: a crash can make it re-read a batch, never skip one.");
        int first = readAsJavaGroup(lab);
        Lesson.saw("group " + JAVA_GROUP + " read " + first + " messages; the topic holds " + total(LabTopics.endOffsets(lab, TOPIC))
                + " (a new group with auto.offset.reset=earliest starts at the oldest)");
        Lesson.saw("committed " + LabTopics.committedOffsets(lab, JAVA_GROUP, TOPIC) + ", log end " + LabTopics.endOffsets(lab, TOPIC)
                + " (partition=offset)");
        int again = readAsJavaGroup(lab);
        Lesson.saw("run again: " + again + " messages read: it went on from its committed offset"
                + (again == 0 ? " (the end: nothing new)" : ""));

        Lesson.step(7, "The lag, asked with the Admin client (exercise 02.4)");
        producePeople(lab, TOPIC, 4);
        Lesson.say("Lesson 01's producer wrote 4 more people.");
        try (Admin admin = LabKafka.admin(lab)) {
            Lesson.saw("GroupLag.lag(" + JAVA_GROUP + ") = " + GroupLag.lag(admin, JAVA_GROUP, TOPIC) + "   (partition=messages not read yet)");
            Lesson.saw("GroupLag.lag(" + CLI_GROUP + ")  = " + GroupLag.lag(admin, CLI_GROUP, TOPIC));
        }
        Lesson.say("Log-end offset minus committed offset, per partition: the LAG column of kafka-consumer-groups --describe");
        Lesson.say("(step 5 printed LAG " + row.get("LAG") + " for " + CLI_GROUP + ", before these 4 were written).");

        Lesson.step(8, "Reset the group's offsets (exercise 02.5)");
        Lesson.say("Re-reading after a bug fix, or from a point in time: move the group's committed offsets while no member runs");
        Lesson.say("(the tool: " + KafkaTools.jbang(lab, KafkaTools.Tool.CONSUMER_GROUPS, "--reset-offsets", "--group", JAVA_GROUP, "--topic", TOPIC,
                "--to-earliest", "--execute") + ").");
        try (Admin admin = LabKafka.admin(lab)) {
            Lesson.saw("ResetOffsets.toEarliest -> " + ResetOffsets.toEarliest(admin, JAVA_GROUP, TOPIC));
            Lesson.saw("the group then read " + readAsJavaGroup(lab) + " messages");
            Lesson.saw("ResetOffsets.toTime(" + CLOCK.format(beforeThree) + ", when step 4b began) -> " + ResetOffsets.toTime(admin, JAVA_GROUP, TOPIC, beforeThree));
            Lesson.saw("the group then read " + readAsJavaGroup(lab) + " messages; this lesson wrote 9 since " + CLOCK.format(beforeThree)
                    + " (3 in step 4b, 2 in step 5, 4 in step 7)");
        }
        Lesson.say("The broker finds the first offset at or after a time in each partition's time index (ListOffsets).");

        Lesson.step(9, "Read the whole topic with no group (exercise 02.3)");
        Map<Integer, Long> committedBefore = LabTopics.committedOffsets(lab, JAVA_GROUP, TOPIC);
        Properties noGroup = lab.kafkaProperties();
        noGroup.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        noGroup.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(noGroup)) {
            Lesson.saw("ReadWithoutGroup.readAll read " + ReadWithoutGroup.readAll(consumer, TOPIC).size()
                    + " messages (assign + seekToBeginning, no group.id)");
        }
        Lesson.saw(JAVA_GROUP + "'s committed offsets " + (committedBefore.equals(LabTopics.committedOffsets(lab, JAVA_GROUP, TOPIC))
                ? "did not move" : "MOVED") + ": " + LabTopics.committedOffsets(lab, JAVA_GROUP, TOPIC));
        Lesson.say("A consumer with no group has nowhere to commit to: reading this way changes nobody's offsets.");
        Lesson.say("Your exercises: exercises/02_cli_and_groups/ - 1_group_settings ... 5_reset_offsets. Check one: ./jbang course verify 02.1");
        return 0;
    }

    /** One run of the Java group: lab/kafka/ConsumerLoop with exercise 02.1's settings and 02.2's step; returns how many it read. */
    static int readAsJavaGroup(LabConfig lab) throws Exception {
        return ConsumerLoop.run(GroupSettings.config(lab, JAVA_GROUP), TOPIC, Duration.ofSeconds(2), new CommitAfterBatch(), record -> { });
    }

    /** Runs kafka-console-consumer with {@code args}, saying what it runs and how to run it yourself. */
    static KafkaTools.Result console(LabConfig lab, String... args) {
        announce(lab, KafkaTools.Tool.CONSOLE_CONSUMER, args);
        return KafkaTools.run(lab, KafkaTools.Tool.CONSOLE_CONSUMER, Duration.ofSeconds(60), args);
    }

    static void announce(LabConfig lab, KafkaTools.Tool tool, String... args) {
        Lesson.say("$ " + KafkaTools.jbang(lab, tool, args));
        Lesson.say("  (docker compose: " + KafkaTools.docker(tool, args) + ")");
    }

    /** Shows what the console consumer printed: a few messages, how many, and its own summary line; returns the result. */
    static KafkaTools.Result showMessages(KafkaTools.Result result) {
        List<String> lines = result.outLines();
        int shown = Math.min(3, lines.size());
        for (int i = 0; i < shown; i++) {
            Lesson.saw(lines.get(i));
        }
        if (lines.size() > shown) {
            Lesson.saw("... " + (lines.size() - shown) + " more");
        }
        String summary = result.errLines().stream().filter(l -> l.startsWith("Processed a total of")).findFirst()
                .orElse("(the tool printed no summary; exit code " + result.exitCode() + ")\n" + result.err());
        Lesson.saw(summary);
        return result;
    }

    /** The count of the tool's "Processed a total of N messages" line (what it printed), or -1 when it printed none. */
    static long processed(KafkaTools.Result result) {
        return result.errLines().stream().map(l -> l.replaceAll("Processed a total of (\\d+) messages?", "$1"))
                .filter(l -> l.matches("\\d+")).mapToLong(Long::parseLong).findFirst().orElse(-1);
    }

    /**
     * Starts the console consumer with no --from-beginning, waits until it has its position (its consumer logs
     * "Resetting offset for partition ... to position FetchPosition{offset=N ..."; {@code startedAt} gets N), then writes
     * a person every 0.5 s until it printed 3. Without that log line in 30 s it writes anyway.
     */
    static List<String> onlyNewMessages(LabConfig lab, AtomicInteger written, AtomicLong startedAt) throws Exception {
        String[] args = {"--topic", TOPIC, "--max-messages", "3", "--timeout-ms", "30000"};
        announce(lab, KafkaTools.Tool.CONSOLE_CONSUMER, args);
        AtomicInteger printed = new AtomicInteger();
        AtomicReference<KafkaTools.Result> result = new AtomicReference<>();
        java.util.regex.Pattern reset = java.util.regex.Pattern.compile("Resetting offset for partition "
                + java.util.regex.Pattern.quote(TOPIC) + "-0 to position FetchPosition\\{offset=(\\d+)");
        java.util.concurrent.CountDownLatch positioned = new java.util.concurrent.CountDownLatch(1);
        Thread consumer = new Thread(() -> result.set(KafkaTools.run(lab, KafkaTools.Tool.CONSOLE_CONSUMER, Duration.ofSeconds(90),
                null, line -> printed.incrementAndGet(), errLine -> {
                    java.util.regex.Matcher m = reset.matcher(errLine);
                    if (m.find()) {
                        startedAt.set(Long.parseLong(m.group(1)));
                        positioned.countDown();
                    }
                }, List.of(KafkaTools.LOG_POSITION), args)), "console-consumer");
        consumer.start();
        boolean known = positioned.await(30, java.util.concurrent.TimeUnit.SECONDS);
        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        // with its position known, exactly 3; without, one more every 0.5 s until it printed 3
        while (consumer.isAlive() && printed.get() < 3 && System.nanoTime() < deadline && (!known || written.get() < 3)) {
            producePeople(lab, TOPIC, 1);
            written.incrementAndGet();
            consumer.join(500);
        }
        consumer.join(Duration.ofSeconds(60).toMillis());
        if (result.get() == null) {
            throw new LabException("kafka-console-consumer did not finish within 60 s");
        }
        return result.get().outLines();
    }

    /** Runs kafka-consumer-groups --describe, prints its table and returns the row of my_topic's partition 0. */
    static Map<String, String> describe(LabConfig lab, String group) {
        String[] args = {"--describe", "--group", group};
        announce(lab, KafkaTools.Tool.CONSUMER_GROUPS, args);
        KafkaTools.Result result = KafkaTools.run(lab, KafkaTools.Tool.CONSUMER_GROUPS, Duration.ofSeconds(60), args);
        result.outLines().forEach(Lesson::saw);
        result.errLines().forEach(Lesson::saw); // e.g. "Consumer group 'mygroupcli' has no active members."
        return KafkaTools.table(result.out()).stream()
                .filter(r -> TOPIC.equals(r.get("TOPIC")) && "0".equals(r.get("PARTITION")))
                .findFirst()
                .orElseThrow(() -> new LabException("kafka-consumer-groups printed no row for " + TOPIC + ":\n" + result.out() + result.err()));
    }

    /** Lesson 01's producer, put together from its three exercises: {@code count} people into {@code topic}. */
    static int producePeople(LabConfig lab, String topic, int count) {
        Faker faker = new Faker(Locale.forLanguageTag("ru"));
        List<String> people = Stream.generate(() -> PersonMessage.person(faker, Instant.now())).limit(count).toList();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(ProducerSettings.config(lab, "lesson02-people"))) {
            return SendWithCallback.sendAll(producer, topic, people);
        }
    }

    static long total(Map<Integer, Long> perPartition) {
        return perPartition.values().stream().mapToLong(Long::longValue).sum();
    }
}
