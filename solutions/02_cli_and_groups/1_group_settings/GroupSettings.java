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
        // the group: its members share the topic's partitions, and the broker keeps one committed offset per partition for it
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        // we commit ourselves, after processing: auto-commit commits on a timer (and on close) whatever poll() returned,
        // processed or not, so a crash can skip messages (committed, never processed) or repeat them
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // where a group with no committed offset starts: the oldest message kept. The default, latest, would make a
        // brand-new group skip everything written before it joined. Once the group has committed, this no longer matters.
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return props;
    }
}
