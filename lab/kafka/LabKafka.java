//SOURCES ../LabConfig.java ../LabException.java
//COMPILE_OPTIONS -encoding UTF-8
// JBang reads these //DEPS in every script that pulls this file in with //SOURCES; versions match pom.xml (CourseFilesTest checks).
//DEPS org.apache.kafka:kafka-clients:4.1.1
//DEPS com.fasterxml.jackson:jackson-bom:2.20.1@pom
//DEPS com.fasterxml.jackson.core:jackson-databind
//DEPS org.slf4j:slf4j-simple:2.0.17
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

/** Small Kafka helpers the lessons share: is the broker there, make sure a topic exists. */
public final class LabKafka {
    private LabKafka() {}

    /** What {@link #probe} saw of a cluster. */
    public record ClusterInfo(String clusterId, int brokers, int controllerId, Set<String> topics) {}

    /** An Admin client that gives up quickly, so a missing broker is reported within seconds. */
    public static Admin admin(LabConfig lab) {
        Properties props = lab.kafkaProperties();
        // fail fast instead of Kafka's 60 s default: a learner should hear about a missing broker at once
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "8000");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "4000");
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        return Admin.create(props);
    }

    /** Asks the cluster who it is; throws a {@link LabException} saying how to start Kafka if nothing answers. */
    public static ClusterInfo probe(LabConfig lab, Duration timeout) {
        try (Admin admin = admin(lab)) {
            DescribeClusterResult cluster = admin.describeCluster();
            long ms = timeout.toMillis();
            String id = cluster.clusterId().get(ms, TimeUnit.MILLISECONDS);
            int brokers = cluster.nodes().get(ms, TimeUnit.MILLISECONDS).size();
            int controller = cluster.controller().get(ms, TimeUnit.MILLISECONDS).id();
            Set<String> topics = admin.listTopics().names().get(ms, TimeUnit.MILLISECONDS);
            return new ClusterInfo(id, brokers, controller, topics);
        } catch (TimeoutException | ExecutionException e) {
            throw new LabException(lab.howToStartKafka() + "\n  (" + rootMessage(e) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while asking Kafka at " + lab.kafkaBootstrap() + " who it is", e);
        }
    }

    /** Waits until the broker answers (used right after starting one). */
    public static ClusterInfo awaitReady(LabConfig lab, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        LabException last = null;
        while (System.nanoTime() < deadline) {
            try {
                return probe(lab, Duration.ofSeconds(5));
            } catch (LabException e) {
                last = e;
            }
        }
        throw last != null ? last : new LabException(lab.howToStartKafka());
    }

    /** Creates the topic if it does not exist yet; an existing topic is left as it is. */
    public static void ensureTopic(LabConfig lab, String topic, int partitions) {
        try (Admin admin = admin(lab)) {
            try {
                // no replication factor given: the cluster's default applies (1 in the lab, usually 3 on a shared cluster)
                admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty()))).all().get(15, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new LabException("Could not create topic '" + topic + "' on " + lab.kafkaBootstrap() + ": " + rootMessage(e), e);
                }
            }
            // a new topic's partitions get their leaders a moment after the create returns; a producer that
            // starts earlier sees NOT_LEADER retries (an idempotent one can even get stuck on sequence numbers)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!allLeadersKnown(admin, topic)) {
                if (System.nanoTime() > deadline) {
                    throw new LabException("Topic '" + topic + "' on " + lab.kafkaBootstrap() + " has partitions with no leader after 15 s");
                }
                Thread.sleep(50);
            }
            // and a moment later still, the leader actually serves them: until then it answers NOT_LEADER_OR_FOLLOWER.
            // ListOffsets goes to each leader, and the Admin client retries that error until the leader answers.
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            int existing = admin.describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS).get(topic).partitions().size();
            for (int p = 0; p < existing; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            admin.listOffsets(latest).all().get(15, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new LabException("Could not describe topic '" + topic + "' on " + lab.kafkaBootstrap() + ": " + rootMessage(e), e);
        } catch (TimeoutException e) {
            throw new LabException(lab.howToStartKafka(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while creating topic " + topic, e);
        }
    }

    private static boolean allLeadersKnown(Admin admin, String topic) throws InterruptedException, ExecutionException, TimeoutException {
        try {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS).get(topic).partitions().stream()
                    .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
                return false; // created, but the metadata has not reached this broker yet
            }
            throw e;
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
