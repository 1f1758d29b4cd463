///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES ../../lab/LabConfig.java ../../lab/LabException.java ../../lab/kafka/LabKafka.java ../../lab/lake/LabS3.java
//COMPILE_OPTIONS -encoding UTF-8
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn

import java.util.Collection;
import java.util.concurrent.TimeUnit;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;

/**
 * Lesson 00, the lab: ask Kafka who it is, and make sure the bucket the course writes to exists.
 * Run it: {@code ./jbang solutions/00_lab/LabCheck.java}.
 */
public class LabCheck {

    /** What the lab says about its Kafka cluster. */
    public record ClusterSummary(String clusterId, int brokerCount, int controllerId) {}

    /** Step 1: the cluster's id, how many brokers answer, and which node is the controller. */
    public static ClusterSummary describeCluster(Admin admin) throws Exception {
        DescribeClusterResult cluster = admin.describeCluster();
        // every call of the Admin client is asynchronous: get() waits for the broker's answer
        String id = cluster.clusterId().get(10, TimeUnit.SECONDS);
        Collection<Node> brokers = cluster.nodes().get(10, TimeUnit.SECONDS);
        Node controller = cluster.controller().get(10, TimeUnit.SECONDS);
        return new ClusterSummary(id, brokers.size(), controller.id());
    }

    /**
     * Step 2: creates {@code bucket} when it is missing. Returns true when it had to be created.
     * (The original project wrote to a bucket that only a manual step ever created.)
     */
    public static boolean ensureBucket(MinioClient s3, String bucket) throws Exception {
        if (s3.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
            return false;
        }
        s3.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
        return true;
    }

    public static void main(String[] args) throws Exception {
        LabConfig lab = LabConfig.fromEnvironment();
        System.out.println("The lab, as this machine sees it:\n" + lab.describe());
        try (Admin admin = LabKafka.admin(lab); MinioClient s3 = LabS3.client(lab)) {
            LabKafka.probe(lab, java.time.Duration.ofSeconds(5));
            ClusterSummary cluster = describeCluster(admin);
            System.out.printf("Kafka: cluster %s, %d broker(s), controller node %d%n",
                    cluster.clusterId(), cluster.brokerCount(), cluster.controllerId());
            LabS3.probe(lab);
            boolean created = ensureBucket(s3, lab.bucket());
            System.out.println("S3: bucket '" + lab.bucket() + "' " + (created ? "created" : "already there"));
        } catch (LabException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }
}
