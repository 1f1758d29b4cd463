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
        DescribeClusterResult cluster = admin.describeCluster();
        // each part is a future of its own: get() waits for the broker's answer (10 s at most, not forever)
        String id = cluster.clusterId().get(10, TimeUnit.SECONDS);
        Collection<Node> brokers = cluster.nodes().get(10, TimeUnit.SECONDS);
        Node controller = cluster.controller().get(10, TimeUnit.SECONDS);
        return new Summary(id, brokers.size(), controller.id());
    }
}
