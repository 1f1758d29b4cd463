///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES ../lab/LabConfig.java ../lab/kafka/LabKafka.java ../lab/kafka/LabTopics.java ../lab/teaching/Lesson.java
//COMPILE_OPTIONS -encoding UTF-8
//SOURCES ../solutions/01_simple_producer/1_producer_settings/ProducerSettings.java ../solutions/01_simple_producer/2_person_message/PersonMessage.java ../solutions/01_simple_producer/3_send_with_callback/SendWithCallback.java
//MAIN SimpleProducerLesson
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=error

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import net.datafaker.Faker;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Lesson 01 — the simple producer. Kafka is an append-only log: producers add messages at the end of a
 * topic's partitions, and every message keeps its offset for as long as the topic keeps it.
 * The program is three exercises put together: the settings (01.1), the message (01.2), the sends (01.3).
 *
 *   ./jbang lesson01 [count]        (the lab must be running: ./jbang lab up, or docker compose up -d)
 */
class SimpleProducerLesson {
    /** The original's topic; in a workshop the learner's own (lab.topic: alice.my_topic). */
    static final String TOPIC = "my_topic";

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Lesson.run("01", lab -> run(lab, count));
    }

    static int run(LabConfig lab, int count) throws Exception {
        String topic = lab.topic(TOPIC);
        Lesson.step(1, "Find the broker and the topic");
        LabKafka.ClusterInfo cluster = LabKafka.probe(lab, Duration.ofSeconds(5));
        Lesson.saw("Kafka at " + lab.kafkaBootstrap() + ", cluster " + cluster.clusterId());
        LabKafka.ensureTopic(lab, topic, 1);
        long before = total(LabTopics.endOffsets(lab, topic));
        Lesson.saw(topic + " exists; its log ends at offset " + before + " (messages written so far)");

        Lesson.step(2, "The producer's settings (exercise 01.1)");
        Properties config = ProducerSettings.config(lab, "lesson01-simple-producer");
        config.stringPropertyNames().stream().sorted().forEach(k -> Lesson.saw(k + " = " + config.getProperty(k)));
        Lesson.say("acks=all: a send succeeds only when every in-sync replica has the message.");

        Lesson.step(3, "One message, as the original project wrote it (exercise 01.2)");
        Faker faker = new Faker(Locale.forLanguageTag("ru"));
        Lesson.saw(PersonMessage.person(faker, Instant.now()));
        Lesson.say("uuid is a version-7 UUID (time-ordered); timestamp is ISO-8601 in UTC; names are Russian data.");

        Lesson.step(4, "Send " + count + " of them, each with a callback, and wait once (exercise 01.3)");
        List<String> people = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            people.add(PersonMessage.person(faker, Instant.now()));
        }
        long t0 = System.nanoTime();
        int acknowledged;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            acknowledged = SendWithCallback.sendAll(producer, topic, people);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        long after = total(LabTopics.endOffsets(lab, topic));
        Lesson.saw(acknowledged + " of " + count + " acknowledged in " + ms + " ms (the producer's start included); the log now ends at offset "
                + after + " (+" + (after - before) + ")");
        Lesson.say("send() only queued each message; the callbacks counted the broker's answers, and one flush() waited for them.");
        Lesson.say("Nothing was overwritten: Kafka appends. Run this lesson again and the offsets keep growing.");

        Lesson.step(5, "Read them with Kafka's own CLI");
        Lesson.say("./jbang kafka-console-consumer --bootstrap-server " + lab.kafkaBootstrap() + " --topic " + topic + " --from-beginning"
                + (lab.kafkaClientSettings().isEmpty() ? "" : " --consumer.config $KAFKA_CLIENT_PROPERTIES"));
        Lesson.say("(with docker compose: docker exec -it kafka /opt/kafka/bin/kafka-console-consumer.sh \\");
        Lesson.say("                        --bootstrap-server localhost:9092 --topic " + topic + " --from-beginning)");
        Lesson.say("Your exercises: exercises/01_simple_producer/ - 1_producer_settings, 2_person_message, 3_send_with_callback.");
        Lesson.say("Check one: ./jbang course verify 01.1");
        return 0;
    }

    static long total(Map<Integer, Long> perPartition) {
        return perPartition.values().stream().mapToLong(Long::longValue).sum();
    }
}
