//SOURCES ../../../lab/kafka/LabKafka.java ../../../lab/teaching/Todo.java
//COMPILE_OPTIONS -encoding UTF-8
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Exercise 00.3: create a topic with N partitions, idempotently: a program that runs again (or next to another
 * one that made the topic first) finds the topic there, and that is no error. Any other error still is.
 * Check it: {@code ./jbang course verify 00.3}
 */
public class CreateTopic {

    /** Creates {@code topic} with {@code partitions} partitions; true when it made it, false when it was there. */
    public static boolean create(Admin admin, String topic, int partitions) throws Exception {
        // no replication factor given (Optional.empty()): the cluster's default applies, 1 in the lab, often 3 elsewhere
        NewTopic newTopic = new NewTopic(topic, Optional.of(partitions), Optional.empty());
        // createTopics only sends the request: the future completes with the controller's answer
        KafkaFuture<Void> created = admin.createTopics(List.of(newTopic)).all();
        try {
            created.get(15, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            // the broker's answer comes wrapped: the cause says what it was
            if (e.getCause() instanceof TopicExistsException) {
                return false; // there already, perhaps with another partition count: left as it is
            }
            throw e; // anything else (an invalid name, 0 partitions, no rights) is a real error
        }
    }
}
