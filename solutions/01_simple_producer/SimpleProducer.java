///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS net.datafaker:datafaker:2.5.3
//SOURCES ../../lab/LabConfig.java ../../lab/LabException.java ../../lab/kafka/LabKafka.java ../../lab/events/UuidV7.java
//COMPILE_OPTIONS -encoding UTF-8
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn

import java.time.Instant;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.datafaker.Faker;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Lesson 01, the simple producer: one JSON message per (fake) person into {@code my_topic}.
 * Run it: {@code ./jbang solutions/01_simple_producer/SimpleProducer.java [count]}.
 */
public class SimpleProducer {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Step 1: the producer's settings. */
    static Properties producerConfig(LabConfig lab) {
        Properties props = lab.kafkaProperties();
        // Kafka stores bytes; these turn our String key and value into bytes
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        // a send counts as done only once every in-sync replica has it: an acknowledged message is not lost
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // names this client in the broker's logs and metrics
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "lesson01-simple-producer");
        return props;
    }

    /** Step 2: one person as the message of the original project (Russian-locale names, as in the video). */
    static String personMessage(Faker faker, Instant now) {
        String gender = faker.bool().bool() ? "female" : "male";
        ObjectNode person = JSON.createObjectNode()
                // a version-7 UUID starts with its creation time, so ids sort in the order they were made
                .put("uuid", UuidV7.next().toString())
                .put("first_name", faker.resolve("name." + gender + "_first_name"))
                .put("last_name", faker.resolve("name." + gender + "_last_name"))
                .put("middle_name", faker.resolve("name." + gender + "_middle_name"))
                // Instant prints ISO-8601 in UTC, e.g. 2026-11-24T20:31:05.123Z: no time-zone guessing downstream
                .put("timestamp", now.toString());
        return person.toString();
    }

    /** Step 3: sends {@code count} people to {@code topic}; returns how many the broker acknowledged. */
    public static int produce(LabConfig lab, String topic, int count) {
        Faker faker = new Faker(Locale.forLanguageTag("ru"));
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(lab))) {
            for (int i = 0; i < count; i++) {
                // no key: the producer spreads messages over partitions in batches (see lesson 03 for keys)
                ProducerRecord<String, String> record = new ProducerRecord<>(topic, personMessage(faker, Instant.now()));
                // send() only queues the record; the callback runs when the broker answers
                producer.send(record, (metadata, error) -> {
                    if (error == null) {
                        acknowledged.incrementAndGet();
                    } else {
                        firstFailure.compareAndSet(null, error);
                    }
                });
            }
            // wait for every queued record's answer before we count (close() would too)
            producer.flush();
        }
        if (firstFailure.get() != null) {
            throw new IllegalStateException((count - acknowledged.get()) + " of " + count + " messages were not written to "
                    + topic + ": " + firstFailure.get().getMessage(), firstFailure.get());
        }
        return acknowledged.get();
    }

    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        LabConfig lab = LabConfig.fromEnvironment();
        try {
            LabKafka.probe(lab, java.time.Duration.ofSeconds(5));
            LabKafka.ensureTopic(lab, "my_topic", 1);
            int written = produce(lab, "my_topic", count);
            System.out.println("Wrote " + written + " people to my_topic at " + lab.kafkaBootstrap() + ".");
            System.out.println("See them: ./jbang kafka-console-consumer --bootstrap-server " + lab.kafkaBootstrap()
                    + " --topic my_topic --from-beginning");
        } catch (LabException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }
}
