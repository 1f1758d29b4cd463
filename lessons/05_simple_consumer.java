///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES ../lab/LabConfig.java ../lab/LabException.java ../lab/kafka/LabKafka.java ../lab/teaching/Lesson.java
//COMPILE_OPTIONS -encoding UTF-8
//SOURCES ../solutions/05_simple_consumer/EventConsumer.java
//MAIN SimpleConsumerLesson
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=error

import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 *
 *   ./jbang lesson05 [topic]        (after ./jbang lesson04)
 */
class SimpleConsumerLesson {
    public static void main(String[] args) throws Exception {
        String topic = args.length > 0 ? args[0] : "music_events";
        Lesson.run("05", lab -> run(lab, topic));
    }

    static int run(LabConfig lab, String topic) throws Exception {
        LabKafka.ClusterInfo cluster = LabKafka.probe(lab, Duration.ofSeconds(5));
        if (!cluster.topics().contains(topic)) {
            throw new LabException("There is no topic '" + topic + "' at " + lab.kafkaBootstrap() + " yet: run ./jbang lesson04 first.");
        }
        String group = "lesson05-simple-consumer";

        Lesson.step(1, "The consumer's settings");
        Properties config = EventConsumer.consumerConfig(lab, group);
        config.stringPropertyNames().stream().sorted().forEach(k -> Lesson.saw(k + " = " + config.getProperty(k)));
        Lesson.say("Values arrive as bytes and are parsed by MusicEvent.parse, the one event model the generator,");
        Lesson.say("this consumer and the sink of lesson 06 share.");

        Lesson.step(2, "Read " + topic + " in group '" + group + "' (the first lines, then a count)");
        EventConsumer.Summary first = EventConsumer.consume(lab, topic, group, Duration.ofSeconds(3), firstLines(12), c -> { });
        summarize(first);

        Lesson.step(3, "Read again with the same group");
        EventConsumer.Summary again = EventConsumer.consume(lab, topic, group, Duration.ofSeconds(2), firstLines(12), c -> { });
        Lesson.saw(again.total() + " messages: the group's committed offsets say everything was read already.");

        Lesson.step(4, "Messages that are not events");
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
        EventConsumer.Summary withBad = EventConsumer.consume(lab, topic, group, Duration.ofSeconds(3), firstLines(12), c -> { });
        summarize(withBad);
        Lesson.say("Each bad message is reported with its partition and offset, and the loop goes on. The original");
        Lesson.say("project's check compared an error code with a class, so it never fired. Lesson 06 sends such");
        Lesson.say("messages to a dead-letter topic, so nothing is lost and someone can look at them.");
        Lesson.say("Your exercise: exercises/05_simple_consumer/EventConsumer.java. Check it: ./jbang course verify 05");
        return 0;
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

    private static void summarize(EventConsumer.Summary s) {
        Lesson.saw(String.format("%,d messages: %,d events, %,d malformed (reported and skipped)", s.total(), s.events.size(), s.malformed.size()));
        s.perType.forEach((t, n) -> Lesson.saw(String.format("  %-26s %-24s %,8d", t.nameEn, t.nameRu, n)));
    }
}
