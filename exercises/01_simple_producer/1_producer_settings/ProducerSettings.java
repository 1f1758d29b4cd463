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
        // TODO 01.1.1: our keys and values are Strings: set the key and the value serializer (ProducerConfig has a
        //  constant for each setting) to StringSerializer's class name. Then remove the Todo line below.
        Todo.todo("01.1", 1, "set the key and value serializers to StringSerializer");
        // TODO 01.1.2: a send must count as done only once every in-sync replica has the message (acks), and the
        //  producer must be named clientId in the broker's logs (client.id). Then return props.
        return Todo.todo("01.1", 2, "set acks so every in-sync replica must have a message, and the client id");
    }
}
