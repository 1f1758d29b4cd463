///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES ../../lab/LabConfig.java ../../lab/LabException.java ../../lab/kafka/LabKafka.java ../../lab/lake/LabS3.java ../../lab/teaching/Todo.java
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
 * Your exercise: the two TODOs below. Check them: {@code ./jbang course verify 00};
 * run it: {@code ./jbang exercises/00_lab/LabCheck.java}.
 */
public class LabCheck {

    /** What the lab says about its Kafka cluster. */
    public record ClusterSummary(String clusterId, int brokerCount, int controllerId) {}

    /** Step 1: the cluster's id, how many brokers answer, and which node is the controller. */
    public static ClusterSummary describeCluster(Admin admin) throws Exception {
        // TODO 00.1: call admin.describeCluster() and wait (get with a timeout) for three answers:
        //  the cluster id, the nodes (brokers) that answer, and the controller node. Return them.
        return Todo.todo("00", 1, "describe the cluster in describeCluster()");
    }

    /**
     * Step 2: creates {@code bucket} when it is missing. Returns true when it had to be created.
     * (The original project wrote to a bucket that only a manual step ever created.)
     */
    public static boolean ensureBucket(MinioClient s3, String bucket) throws Exception {
        // TODO 00.2: ask whether the bucket exists (BucketExistsArgs); if not, create it (MakeBucketArgs).
        //  Return true only when you had to create it.
        return Todo.todo("00", 2, "create the bucket when it is missing in ensureBucket()");
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
