//SOURCES ../../../lab/kafka/LabKafka.java ../../../lab/teaching/Todo.java
//COMPILE_OPTIONS -encoding UTF-8
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Exercise 02.1: the settings of a consumer that reads as a member of a group and commits by hand - what
 * {@code kafka-console-consumer --group} does, with the commits in our hands.
 * Check it: {@code ./jbang course verify 02.1}
 */
public class GroupSettings {

    /** A member of {@code groupId} that reads Strings, commits itself, and starts a brand-new group at the oldest message. */
    public static Properties config(LabConfig lab, String groupId) {
        Properties props = lab.kafkaProperties();
        // Kafka stores bytes; these turn them back into the Strings the producer of lesson 01 wrote
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        // TODO 02.1.1: make this consumer a member of the group groupId (ConsumerConfig has a constant for the
        //  setting). Then remove the Todo line.
        Todo.todo("02.1", 1, "set the group id");
        // TODO 02.1.2: turn auto-commit off (we commit after processing; auto-commit commits on a timer and on close,
        //  processed or not), and make a group that never committed start at the earliest offset, not the default
        //  "latest" (what would a brand-new group miss with "latest"?). Then return props.
        return Todo.todo("02.1", 2, "turn auto-commit off and start a new group at the earliest offset");
    }
}
