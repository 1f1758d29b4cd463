//SOURCES ../../../lab/kafka/LabKafka.java ../../../lab/teaching/Todo.java
//COMPILE_OPTIONS -encoding UTF-8
import java.util.Collection;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;

/**
 * Exercise 00.1: ask Kafka who it is. The Admin client's {@code describeCluster()} answers three questions:
 * the cluster's id, the brokers (nodes) that answer, and the controller, the node that keeps the cluster's
 * metadata. Every Admin call is asynchronous: it returns futures, and {@code get(...)} waits for the answer.
 * Check it: {@code ./jbang course verify 00.1}
 */
public class DescribeCluster {

    /** What the cluster says about itself. */
    public record Summary(String clusterId, int brokerCount, int controllerId) {}

    public static Summary describe(Admin admin) throws Exception {
        // TODO 00.1.1: call admin.describeCluster(), wait for its three answers (clusterId(), nodes(), controller():
        //  get each with a timeout) and return them as a Summary (the number of nodes, the controller's id).
        return Todo.todo("00.1", 1, "describe the cluster: its id, how many brokers, the controller's id");
    }
}
