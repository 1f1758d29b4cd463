import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.Test;

/** Exercise 00.1: the summary describes the cluster that really answers. */
class DescribeClusterTest {

    @Test
    void theSummaryIsWhatTheClusterSaysAboutItself() throws Exception {
        LabConfig lab = TestLab.config();
        try (Admin admin = LabKafka.admin(lab)) {
            DescribeCluster.Summary summary = DescribeCluster.describe(admin);

            // what the cluster says about itself, asked independently of the code under test
            DescribeClusterResult cluster = admin.describeCluster();
            Set<Integer> nodeIds = new HashSet<>();
            for (Node n : cluster.nodes().get(10, TimeUnit.SECONDS)) {
                nodeIds.add(n.id());
            }
            assertThat(summary.clusterId()).as("cluster id").isEqualTo(cluster.clusterId().get(10, TimeUnit.SECONDS));
            assertThat(summary.brokerCount()).as("brokers answering").isEqualTo(nodeIds.size()).isPositive();
            assertThat(nodeIds).as("the controller is one of the cluster's nodes (KRaft combined mode in the lab)")
                    .contains(summary.controllerId());
            if (TestLab.embedded() != null) {
                assertThat(summary.clusterId()).as("the embedded lab's cluster id, written when its storage was formatted")
                        .isEqualTo(TestLab.embedded().clusterId());
            }
        }
    }
}
