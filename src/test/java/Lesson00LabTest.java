import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.minio.BucketExistsArgs;
import io.minio.MinioClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.Test;

/** Lesson 00: the learner's lab check sees the real cluster and leaves the bucket in place. */
class Lesson00LabTest {

    @Test
    void describeClusterReportsTheClusterThatAnswers() throws Exception {
        LabConfig lab = TestLab.config();
        try (Admin admin = LabKafka.admin(lab)) {
            LabCheck.ClusterSummary summary = LabCheck.describeCluster(admin);
            // what the cluster says about itself, asked independently of the code under test
            var cluster = admin.describeCluster();
            Set<Integer> nodeIds = new java.util.HashSet<>();
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

    @Test
    void ensureBucketCreatesAMissingBucketOnceAndKeepsIt() throws Exception {
        LabConfig lab = TestLab.config();
        String bucket = TestLab.unique("lesson00");
        try (MinioClient s3 = LabS3.client(lab)) {
            assertThat(s3.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())).as("bucket before").isFalse();
            assertThat(LabCheck.ensureBucket(s3, bucket)).as("first call creates the bucket").isTrue();
            assertThat(s3.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())).as("bucket exists on the S3 server").isTrue();
            assertThat(LabCheck.ensureBucket(s3, bucket)).as("second call finds it and creates nothing").isFalse();
            assertThat(LabS3.probe(lab)).as("buckets listed by the server").contains(bucket);
        }
    }
}
