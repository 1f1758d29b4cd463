///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES ../lab/LabConfig.java ../lab/kafka/LabKafka.java ../lab/teaching/Lesson.java
//COMPILE_OPTIONS -encoding UTF-8
//SOURCES ../solutions/01_simple_producer/SimpleProducer.java
//MAIN SimpleProducerLesson
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=error

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Properties;

import net.datafaker.Faker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Lesson 01 — the simple producer. Kafka is an append-only log: producers add messages at the end of a
 * topic's partitions, and every message keeps its offset for as long as the topic keeps it.
 *
 *   ./jbang lesson01 [count]        (the lab must be running: ./jbang lab up, or docker compose up -d)
 */
class SimpleProducerLesson {
    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Lesson.run("01", lab -> run(lab, count));
    }

    static int run(LabConfig lab, int count) throws Exception {
        Lesson.step(1, "Find the broker and the topic");
        LabKafka.ClusterInfo cluster = LabKafka.probe(lab, Duration.ofSeconds(5));
        Lesson.saw("Kafka at " + lab.kafkaBootstrap() + ", cluster " + cluster.clusterId());
        LabKafka.ensureTopic(lab, "my_topic", 1);
        long before = endOffset(lab);
        Lesson.saw("my_topic exists; its log ends at offset " + before + " (messages written so far)");

        Lesson.step(2, "The producer's settings");
        Properties config = SimpleProducer.producerConfig(lab);
        config.stringPropertyNames().stream().sorted()
                .forEach(k -> Lesson.saw(k + " = " + config.getProperty(k)));
        Lesson.say("acks=all: a send succeeds only when every in-sync replica has the message.");

        Lesson.step(3, "One message, as the original project wrote it");
        Lesson.saw(SimpleProducer.personMessage(new Faker(Locale.forLanguageTag("ru")), Instant.now()));
        Lesson.say("uuid is a version-7 UUID (time-ordered); timestamp is ISO-8601 in UTC; names are Russian data.");

        Lesson.step(4, "Send " + count + " of them");
        long t0 = System.nanoTime();
        int written = SimpleProducer.produce(lab, "my_topic", count);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        long after = endOffset(lab);
        Lesson.saw(written + " acknowledged in " + ms + " ms; the log now ends at offset " + after
                + " (+" + (after - before) + ")");
        Lesson.say("Nothing was overwritten: Kafka appends. Run this lesson again and the offsets keep growing.");

        Lesson.step(5, "Read them with Kafka's own CLI");
        Lesson.say("./jbang kafka-console-consumer --bootstrap-server " + lab.kafkaBootstrap() + " --topic my_topic --from-beginning");
        Lesson.say("(with docker compose: docker exec -it kafka /opt/kafka/bin/kafka-console-consumer.sh \\");
        Lesson.say("                        --bootstrap-server localhost:9092 --topic my_topic --from-beginning)");
        Lesson.say("Your exercise: exercises/01_simple_producer/SimpleProducer.java. Check it: ./jbang course verify 01");
        return 0;
    }

    private static long endOffset(LabConfig lab) throws Exception {
        try (Admin admin = LabKafka.admin(lab)) {
            TopicPartition tp = new TopicPartition("my_topic", 0);
            return admin.listOffsets(java.util.Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get().offset();
        }
    }
}
