///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES ../lab/LabConfig.java ../lab/LabException.java ../lab/kafka/LabKafka.java ../lab/kafka/TypedConsumer.java ../lab/teaching/Lesson.java
//SOURCES ../lab/events/HostileCorpus.java ../lab/kafka/LabTopics.java
//SOURCES ../solutions/05_simple_consumer/1_strict_parse/StrictParse.java ../solutions/05_simple_consumer/2_report_malformed/ReportMalformed.java
//COMPILE_OPTIONS -encoding UTF-8
//MAIN SimpleConsumerLesson
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=error

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Lesson 05 — the simple consumer. Reads what lesson 04 wrote into typed events, and shows what happens
 * to a message that is not an event: reported with its partition and offset, skipped, never a stop.
 * The loop is lab/kafka/TypedConsumer; the strict parse (05.1) and the handler that reports and goes on (05.2)
 * are the exercises' solutions.
 *
 *   ./jbang lesson05 [topic]        (after ./jbang lesson04)
 */
class SimpleConsumerLesson {
    public static void main(String[] args) throws Exception {
        String topic = args.length > 0 ? args[0] : "music_events";
        Lesson.run("05", lab -> run(lab, lab.topic(topic))); // in a workshop the learner's own: alice.music_events
    }

    static int run(LabConfig lab, String topic) throws Exception {
        LabKafka.ClusterInfo cluster = LabKafka.probe(lab, Duration.ofSeconds(5));
        if (!cluster.topics().contains(topic)) {
            throw new LabException("There is no topic '" + topic + "' at " + lab.kafkaBootstrap() + " yet: run ./jbang lesson04 first.");
        }
        String group = lab.group("lesson05-simple-consumer");

        Lesson.step(1, "The consumer's settings (lab/kafka/TypedConsumer.settings)");
        Properties config = TypedConsumer.settings(lab, group);
        config.stringPropertyNames().stream().sorted().forEach(k -> Lesson.saw(k + " = " + config.getProperty(k)));
        Lesson.say("Values arrive as bytes: turning them into events is our code's job, where a bad one can be reported.");

        Lesson.step(2, "A strict parse (exercise 05.1) against the hostile corpus (lab/events/HostileCorpus)");
        int agree = 0;
        List<HostileCorpus.Case> cases = HostileCorpus.cases();
        for (HostileCorpus.Case c : cases) {
            String verdict;
            boolean valid;
            try {
                StrictParse.parse(c.value());
                verdict = "event";
                valid = true;
            } catch (MalformedEventException e) {
                verdict = "malformed: " + e.getMessage();
                valid = false;
            }
            if (valid == c.valid()) {
                agree++;
            }
            if (List.of("plain track_playback", "fields in another order", "short user id", "event_type_id 64-bit", "trailing garbage",
                    "duplicate key", "year 2300", "tombstone").contains(c.name())) {
                Lesson.saw(String.format("%-24s %s", c.name(), StrictJson.shown(verdict, 90)));
            }
        }
        Lesson.saw(agree + " of " + cases.size() + " kinds got the verdict the corpus gives them");
        Lesson.say("Strict means: nothing guessed. 4294967297 is not cut to 1, a missing field is not defaulted, a field");
        Lesson.say("no event has is not dropped. The sink of lesson 06 and ClickHouse's views of lesson 08 judge the same way.");

        Lesson.step(3, "Read " + topic + " in group '" + group + "' (the first lines, then a count)");
        TypedConsumer.Summary first = consume(lab, topic, group, Duration.ofSeconds(3));
        summarize(first);

        Lesson.step(4, "Read again with the same group");
        TypedConsumer.Summary again = consume(lab, topic, group, Duration.ofSeconds(2));
        Lesson.saw(again.total() + " messages: the group's committed offsets say everything was read already.");

        Lesson.step(5, "Messages that are not events, in " + topic);
        Properties producerProps = lab.kafkaProperties();
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps)) {
            for (String bad : new String[] {"this is not JSON",
                    "{\"event_params\":{\"event_type_id\":42,\"event_type\":\"track_share\"},\"event_timestamp_ms\":{\"ts_ms\":0}}"}) {
                RecordMetadata m = producer.send(new ProducerRecord<>(topic, bad.getBytes(StandardCharsets.UTF_8))).get();
                Lesson.saw("wrote a bad message to partition " + m.partition() + ", offset " + m.offset() + ": " + bad);
            }
        }
        TypedConsumer.Summary withBad = consume(lab, topic, group, Duration.ofSeconds(3));
        summarize(withBad);
        Lesson.say("Each bad message is reported with its partition and offset (exercise 05.2), and the loop goes on.");
        Lesson.say("The original project's check compared an error code with a class, so it never fired.");

        String hostile = topic + "_hostile";
        Lesson.step(6, "The whole hostile corpus among 1,000 valid events, on '" + hostile + "' (3 partitions, keyed)");
        LabTopics.deleteGroups(lab, List.of(group + "-hostile"));
        LabTopics.recreate(lab, hostile, 3);
        List<HostileCorpus.Placed> placed = HostileCorpus.writeMixed(lab, hostile, 1_000, 5);
        long invalid = placed.stream().filter(p -> !p.valid()).count();
        Lesson.saw(String.format("wrote %,d messages: %,d of them no event (a tombstone, a 1 MB value, 4294967297 as a type id, ...)",
                placed.size(), invalid));
        TypedConsumer.Summary corpus = TypedConsumer.consume(lab, hostile, group + "-hostile", Duration.ofSeconds(3),
                StrictParse::parse, new ReportMalformed(), line -> { }, c -> { });
        Lesson.saw(String.format("read %,d messages: %,d events, %,d reported malformed; committed to the end: %s", corpus.total(),
                corpus.events.size(), corpus.malformed.size(),
                LabTopics.committedOffsets(lab, group + "-hostile", hostile).equals(LabTopics.endOffsets(lab, hostile)) ? "yes" : "no"));
        corpus.malformed.stream().limit(4).forEach(m -> Lesson.saw(String.format("p%d@%-5d %s", m.partition(), m.offset(),
                StrictJson.shown(m.reason(), 90))));
        Lesson.say("Lesson 06 sends such messages to a dead-letter topic, so nothing is lost and someone can look at them.");
        Lesson.say("Your exercises: exercises/05_simple_consumer/1_strict_parse and 2_report_malformed.");
        Lesson.say("Check them: ./jbang course verify 05.1 (and 05.2)");
        return 0;
    }

    private static TypedConsumer.Summary consume(LabConfig lab, String topic, String group, Duration idle) {
        return TypedConsumer.consume(lab, topic, group, idle, StrictParse::parse, new ReportMalformed(), firstLines(12), c -> { });
    }

    private static Consumer<String> firstLines(int n) {
        AtomicInteger printed = new AtomicInteger();
        return line -> {
            int i = printed.incrementAndGet();
            if (i <= n || line.contains("SKIPPED")) {
                Lesson.saw(line);
            } else if (i == n + 1) {
                Lesson.saw("...");
            }
        };
    }

    private static void summarize(TypedConsumer.Summary s) {
        Lesson.saw(String.format("%,d messages: %,d events, %,d malformed (reported and skipped)", s.total(), s.events.size(), s.malformed.size()));
        s.perType.forEach((t, n) -> Lesson.saw(String.format("  %-26s %-24s %,8d", t.nameEn, t.nameRu, n)));
    }
}
