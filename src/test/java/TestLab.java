import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The lab every test shares, one per test JVM. Each part is found in this order:
 * <ol>
 *   <li>the environment ({@code KAFKA_BOOTSTRAP_SERVERS} / {@code KAFKA_CLIENT_PROPERTIES}, {@code S3_ENDPOINT}),
 *       e.g. {@code docker compose up -d} or a teacher's shared cluster;</li>
 *   <li>Testcontainers, when a Docker engine answers (images pinned in docker-compose.yml);</li>
 *   <li>the embedded lab: a real KRaft broker and S3Proxy in this JVM, on free ports.</li>
 * </ol>
 * Tests keep out of each other's way with their own topics, groups and buckets ({@link #unique}).
 * Set {@code LAB_DOCKER=never} to skip the Docker probe.
 */
final class TestLab {
    private static LabConfig config;
    private static String kind;
    private static EmbeddedLab embedded;
    /** With Testcontainers: the network the Kafka container is on, as {@code kafka:19092} (for ClickHouse's Kafka engine). */
    private static Network network;

    private TestLab() {}

    /** The shared lab's endpoints, started on first use. */
    static synchronized LabConfig config() {
        if (config == null) {
            try {
                config = resolve();
            } catch (Exception e) {
                throw new IllegalStateException("Could not start the test lab: " + e.getMessage(), e);
            }
            System.out.println("[test lab] " + kind + "\n" + config.describe());
        }
        return config;
    }

    /** How the lab was found: "environment", "testcontainers" or "embedded". */
    static synchronized String kind() {
        config();
        return kind;
    }

    /** The embedded lab when that is what runs (null otherwise). */
    static synchronized EmbeddedLab embedded() {
        config();
        return embedded;
    }

    /** The Testcontainers network Kafka is on as {@code kafka:19092} (null unless the lab is Testcontainers). */
    static synchronized Network network() {
        config();
        return network;
    }

    /** A name no other test uses: {@code prefix-<8 hex>}. Valid for topics, groups and buckets. */
    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static LabConfig resolve() throws Exception {
        LabConfig fromEnv = LabConfig.fromEnvironment();
        boolean kafkaFromEnv = LabConfig.setting("KAFKA_BOOTSTRAP_SERVERS") != null || LabConfig.setting("KAFKA_CLIENT_PROPERTIES") != null;
        boolean s3FromEnv = LabConfig.setting("S3_ENDPOINT") != null;
        if (kafkaFromEnv && s3FromEnv) {
            kind = "environment";
            return fromEnv;
        }
        LabConfig started = dockerAnswers() ? startContainers() : startEmbedded();
        LabConfig result = started;
        if (kafkaFromEnv) {
            result = result.withKafka(fromEnv.kafkaBootstrap(), "environment");
            kind += " (Kafka from the environment)";
        }
        if (s3FromEnv) {
            result = result.withS3(fromEnv.s3Endpoint(), fromEnv.s3AccessKey(), fromEnv.s3SecretKey(), "environment");
            kind += " (S3 from the environment)";
        }
        return result;
    }

    private static boolean dockerAnswers() {
        if ("never".equalsIgnoreCase(LabConfig.setting("LAB_DOCKER"))) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable t) {
            return false;
        }
    }

    private static LabConfig startEmbedded() throws Exception {
        embedded = EmbeddedLab.start(EmbeddedLab.Options.throwaway());
        kind = "embedded (started in " + embedded.startMillis() + " ms)";
        Runtime.getRuntime().addShutdownHook(new Thread(embedded::close, "test-lab-stop"));
        return embedded.config();
    }

    @SuppressWarnings("resource") // stopped by Testcontainers' reaper when the JVM exits
    private static LabConfig startContainers() throws Exception {
        JsonNode services = new YAMLMapper().readTree(Files.readString(Path.of("docker-compose.yml"))).path("services");
        network = Network.newNetwork();
        // kafka:19092 on the network: how a ClickHouse container reaches it, as in docker-compose.yml
        KafkaContainer kafka = new KafkaContainer(DockerImageName.parse(services.path("kafka").path("image").asText()))
                .withNetwork(network)
                .withListener("kafka:19092");
        // minio:9000 on the same network: how a ClickHouse container reaches S3 (lesson 09's s3()), as in docker-compose.yml
        MinIOContainer minio = new MinIOContainer(DockerImageName.parse(services.path("minio").path("image").asText()))
                .withNetwork(network)
                .withNetworkAliases("minio")
                .withUserName(LabConfig.DEFAULT_S3_ACCESS_KEY)
                .withPassword(LabConfig.DEFAULT_S3_SECRET_KEY);
        kafka.start();
        minio.start();
        kind = "testcontainers";
        LabConfig lab = LabConfig.localDefaults()
                .withKafka(kafka.getBootstrapServers(), "testcontainers")
                .withS3(minio.getS3URL(), LabConfig.DEFAULT_S3_ACCESS_KEY, LabConfig.DEFAULT_S3_SECRET_KEY, "testcontainers");
        try (MinioClient s3 = LabS3.client(lab)) {
            s3.makeBucket(MakeBucketArgs.builder().bucket(lab.bucket()).build());
        }
        return lab;
    }
}
