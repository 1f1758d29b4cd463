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
        // TODO 00.3.1: make a NewTopic with 'partitions' partitions and the cluster's default replication factor
        //  (Optional.empty()), and ask for it: admin.createTopics(List.of(...)).all() is the future of the answer.
        KafkaFuture<Void> created = Todo.todo("00.3", 1, "ask the cluster to create the topic with its partitions");
        try {
            created.get(15, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            // TODO 00.3.2: the broker's answer comes wrapped in the ExecutionException. When its cause says the
            //  topic exists already (TopicExistsException), return false; rethrow anything else.
            return Todo.todo("00.3", 2, "tell 'the topic exists already' (return false) from any other error (rethrow)");
        }
    }
}
