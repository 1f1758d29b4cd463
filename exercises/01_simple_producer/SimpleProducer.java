///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS net.datafaker:datafaker:2.5.3
//SOURCES ../../lab/LabConfig.java ../../lab/LabException.java ../../lab/kafka/LabKafka.java ../../lab/teaching/Todo.java
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
 * Your exercise: the three TODOs below. Check them: {@code ./jbang course verify 01};
 * run it: {@code ./jbang exercises/01_simple_producer/SimpleProducer.java [count]}.
 */
public class SimpleProducer {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Step 1: the producer's settings. */
    static Properties producerConfig(LabConfig lab) {
        Properties props = lab.kafkaProperties();
        // TODO 01.1: tell the producer how to turn the String key and value into bytes (two serializer
        //  settings), make it wait until the message is on every in-sync replica before a send counts
        //  as done (acks), and give the client an id so it can be recognised in the broker's logs.
        return Todo.todo("01", 1, "fill in the producer's settings in producerConfig()");
    }

    /** Step 2: one person as the message of the original project (Russian-locale names, as in the video). */
    static String personMessage(Faker faker, Instant now) {
        // TODO 01.2: build the JSON object of the original project with JSON.createObjectNode():
        //  "uuid"        a version-7 UUID (UuidV7.next())
        //  "first_name", "last_name", "middle_name"   Russian names from the faker, e.g.
        //                faker.resolve("name.male_first_name"), "name.male_last_name", "name.male_middle_name"
        //                (or the female_ ones: keep one person's names of one gender)
        //  "timestamp"   'now' as ISO-8601 in UTC (what Instant.toString() prints)
        //  and return it as a String.
        return Todo.todo("01", 2, "build one person's JSON message in personMessage()");
    }

    /** Step 3: sends {@code count} people to {@code topic}; returns how many the broker acknowledged. */
    public static int produce(LabConfig lab, String topic, int count) {
        Faker faker = new Faker(Locale.forLanguageTag("ru"));
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(lab))) {
            for (int i = 0; i < count; i++) {
                String value = personMessage(faker, Instant.now());
                // TODO 01.3: send 'value' to 'topic' as a ProducerRecord with no key, with a callback that
                //  counts the acknowledged sends (acknowledged) and keeps the first failure (firstFailure).
                //  Then, after the loop, wait until every send has been answered before counting.
                //  Remove the Todo line when you are done.
                Todo.todo("01", 3, "send each message with a callback, then wait for the answers, in produce()");
            }
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
