//SOURCES ../../../lab/kafka/LabKafka.java ../../../lab/teaching/Todo.java
//COMPILE_OPTIONS -encoding UTF-8
import java.util.Properties;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Exercise 01.1: a producer's settings. Kafka stores and sends bytes, so a producer needs serializers that turn
 * its keys and values into bytes; {@code acks} says when a send counts as done; {@code client.id} names the
 * producer in the broker's logs and metrics. Check it: {@code ./jbang course verify 01.1}
 */
public class ProducerSettings {

    /** The settings of a producer of String keys and values that waits for every in-sync replica. */
    public static Properties config(LabConfig lab, String clientId) {
        // the lab's address first (and, on a shared cluster, its security settings)
        Properties props = lab.kafkaProperties();
        // our keys and values are Strings: StringSerializer turns each into its UTF-8 bytes
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        // a send counts as done only once every in-sync replica has it: an acknowledged message survives a broker's loss
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // names this producer in the broker's logs, quotas and metrics
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        return props;
    }
}
