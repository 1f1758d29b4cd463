import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.images.RemoteDockerImage;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The lab every test shares, one per test JVM. Each part (Kafka, S3) is found in this order:
 * <ol>
 *   <li>the environment ({@code KAFKA_BOOTSTRAP_SERVERS} / {@code KAFKA_CLIENT_PROPERTIES}, {@code S3_ENDPOINT}),
 *       e.g. {@code docker compose up -d} or a teacher's shared cluster;</li>
 *   <li>Testcontainers, when a Docker engine answers (images pinned in docker-compose.yml): a container only for
 *       a part the environment does not name;</li>
 *   <li>the embedded lab: a real KRaft broker and S3Proxy in this JVM, on free ports.</li>
 * </ol>
 * A ClickHouse container ({@link TestClickHouse}) is started only next to a Kafka and a MinIO container of this
 * lab, on their network: it could not reach a Kafka or S3 the environment names by a 127.0.0.1 address.
 * Tests keep out of each other's way with their own topics, groups and buckets ({@link #unique}).
 * Set {@code LAB_DOCKER=never} to skip the Docker probe.
 */
final class TestLab {
    /** Where one part of the lab comes from. */
    enum Source { ENVIRONMENT, CONTAINER, EMBEDDED }

    /** Where Kafka and S3 come from, decided from the settings and whether Docker answers, before anything starts. */
    record Plan(Source kafka, Source s3) {
        /** True when Kafka and S3 are both containers of this lab: only then can a ClickHouse container reach them. */
        boolean clickHouseContainerFits() {
            return kafka == Source.CONTAINER && s3 == Source.CONTAINER;
        }

        /**
         * Null when a ClickHouse server named by CLICKHOUSE_URL can reach this lab's Kafka and S3 (both named by the
         * environment, as with docker compose); else why not, and the variables to set.
         */
        String serverMismatch(String clickhouseUrl) {
            if (kafka == Source.ENVIRONMENT && s3 == Source.ENVIRONMENT) {
                return null;
            }
            return "CLICKHOUSE_URL (" + clickhouseUrl + ") is a ClickHouse server: it reads Kafka and S3 at the addresses "
                    + "of its own network (docker compose: kafka:19092 and http://minio:9000), but this test run's "
                    + (kafka == Source.ENVIRONMENT ? "" : "Kafka (" + describe(kafka) + ")")
                    + (kafka != Source.ENVIRONMENT && s3 != Source.ENVIRONMENT ? " and " : "")
                    + (s3 == Source.ENVIRONMENT ? "" : "S3 (" + describe(s3) + ")")
                    + " would not be the ones it reads. Name all three parts of one lab, e.g. for docker compose: "
                    + "KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 S3_ENDPOINT=http://127.0.0.1:9000 CLICKHOUSE_URL=http://127.0.0.1:8123 "
                    + "(see docs/lab-with-docker.md); or unset CLICKHOUSE_URL.";
        }

        /** Why no ClickHouse container runs next to this lab (for skip messages), or null when one would. */
        String whyNoClickHouseContainer() {
            if (clickHouseContainerFits()) {
                return null;
            }
            if (kafka == Source.EMBEDDED || s3 == Source.EMBEDDED) {
                return "no Docker";
            }
            return "Kafka and S3 are not both containers of this test run (" + (kafka == Source.ENVIRONMENT ? "KAFKA_BOOTSTRAP_SERVERS" : "")
                    + (kafka == Source.ENVIRONMENT && s3 == Source.ENVIRONMENT ? " and " : "")
                    + (s3 == Source.ENVIRONMENT ? "S3_ENDPOINT" : "") + " named by the environment), so a ClickHouse container "
                    + "could not reach them: set CLICKHOUSE_URL to a ClickHouse that reaches them";
        }

        private static String describe(Source source) {
            return switch (source) {
                case ENVIRONMENT -> "from the environment";
                case CONTAINER -> "a container on free ports";
                case EMBEDDED -> "the embedded lab on free ports";
            };
        }
    }

    private static LabConfig config;
    private static String kind;
    private static Plan plan;
    private static Boolean docker;
    private static EmbeddedLab embedded;
    /** With Kafka and MinIO containers: their network, Kafka as {@code kafka:19092} (for ClickHouse's Kafka engine). */
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

    /** The Testcontainers network Kafka is on as {@code kafka:19092} (null unless Kafka and S3 are both containers). */
    static synchronized Network network() {
        config();
        return network;
    }

    /** Where Kafka and S3 come from in this test run (decided without starting anything). */
    static synchronized Plan plan() {
        if (plan == null) {
            plan = plan(LabConfig::setting, dockerAnswers());
        }
        return plan;
    }

    /**
     * A name no other test uses: {@code prefix-<8 hex>}, in the learner's namespace when one is set ({@code alice.prefix-<8 hex>},
     * LabConfig#name: what a shared cluster's ACLs let that learner make). Valid for topics, groups and buckets.
     */
    static String unique(String prefix) {
        return LabConfig.fromEnvironment().name(prefix + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** The plan for these settings: the environment names a part, else a container when Docker answers, else embedded. */
    static Plan plan(Function<String, String> setting, boolean dockerAnswers) {
        boolean kafkaFromEnv = isSet(setting.apply("KAFKA_BOOTSTRAP_SERVERS")) || isSet(setting.apply("KAFKA_CLIENT_PROPERTIES"));
        boolean s3FromEnv = isSet(setting.apply("S3_ENDPOINT"));
        Source otherwise = dockerAnswers ? Source.CONTAINER : Source.EMBEDDED;
        return new Plan(kafkaFromEnv ? Source.ENVIRONMENT : otherwise, s3FromEnv ? Source.ENVIRONMENT : otherwise);
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    /** The image docker-compose.yml pins for {@code service}, as Testcontainers' container class for it accepts it. */
    static DockerImageName image(String service) {
        JsonNode services;
        try {
            services = new YAMLMapper().readTree(Files.readString(EmbeddedLab.courseRoot().resolve("docker-compose.yml"))).path("services");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read docker-compose.yml", e);
        }
        String image = services.path(service).path("image").asText();
        if (image.isBlank()) {
            throw new IllegalStateException("docker-compose.yml names no image for the service " + service);
        }
        DockerImageName name = DockerImageName.parse(image);
        return switch (service) {
            // Docker Hub's minio/minio is gone; quay.io serves the same image, which MinIOContainer must be told
            case "minio" -> name.asCompatibleSubstituteFor("minio/minio");
            case "clickhouse" -> name.asCompatibleSubstituteFor("clickhouse/clickhouse-server");
            default -> name;
        };
    }

    /** Kafka as docker compose runs it, also {@code kafka:19092} on {@code network}: how a ClickHouse container reaches it. */
    static KafkaContainer kafkaContainer(Network network) {
        return new KafkaContainer(image("kafka")).withNetwork(network).withListener("kafka:19092");
    }

    /** MinIO as docker compose runs it, also {@code minio:9000} on {@code network}: how ClickHouse's s3() reaches it (lesson 09). */
    static MinIOContainer minioContainer(Network network) {
        return new MinIOContainer(image("minio"))
                .withNetwork(network)
                .withNetworkAliases("minio")
                .withUserName(LabConfig.DEFAULT_S3_ACCESS_KEY)
                .withPassword(LabConfig.DEFAULT_S3_SECRET_KEY);
    }

    /**
     * Pulls the images this test run will start, when Docker answers, so that a first pull (minutes) happens before
     * any test and never inside a test's time limit. Called once per test JVM by {@link TestLabImages}.
     */
    static void pullImages() {
        Plan p = plan();
        List<String> services = new ArrayList<>();
        if (p.kafka() == Source.CONTAINER) {
            services.add("kafka");
        }
        if (p.s3() == Source.CONTAINER) {
            services.add("minio");
        }
        if (p.clickHouseContainerFits() && !isSet(LabConfig.setting("CLICKHOUSE_URL"))) {
            services.add("clickhouse");
        }
        for (String service : services) {
            DockerImageName name = image(service);
            long t0 = System.nanoTime();
            try {
                new RemoteDockerImage(name).get(); // pulls only when the image is not on this machine yet
            } catch (RuntimeException e) {
                throw new IllegalStateException("Docker answers, but the image " + name.asCanonicalNameString() + " (docker-compose.yml, service "
                        + service + ") could not be pulled: " + e.getMessage() + ". `docker pull " + name.asCanonicalNameString()
                        + "` shows why; LAB_DOCKER=never runs the tests on the embedded lab instead.", e);
            }
            System.out.printf("[test lab] image %s ready (%d ms)%n", name.asCanonicalNameString(), (System.nanoTime() - t0) / 1_000_000);
        }
    }

    private static LabConfig resolve() throws Exception {
        Plan p = plan();
        LabConfig fromEnv = LabConfig.fromEnvironment();
        if (p.kafka() == Source.ENVIRONMENT && p.s3() == Source.ENVIRONMENT) {
            kind = "environment";
            return fromEnv;
        }
        LabConfig started = p.kafka() == Source.CONTAINER || p.s3() == Source.CONTAINER ? startContainers(p) : startEmbedded();
        LabConfig result = started;
        if (p.kafka() == Source.ENVIRONMENT) {
            result = result.withKafka(fromEnv.kafkaBootstrap(), "environment");
            kind += " (Kafka from the environment)";
        }
        if (p.s3() == Source.ENVIRONMENT) {
            result = result.withS3(fromEnv.s3Endpoint(), fromEnv.s3AccessKey(), fromEnv.s3SecretKey(), "environment");
            kind += " (S3 from the environment)";
        }
        return result;
    }

    private static synchronized boolean dockerAnswers() {
        if (docker == null) {
            if ("never".equalsIgnoreCase(LabConfig.setting("LAB_DOCKER"))) {
                docker = false;
            } else {
                try {
                    docker = DockerClientFactory.instance().isDockerAvailable();
                } catch (Throwable t) {
                    docker = false;
                }
            }
        }
        return docker;
    }

    private static LabConfig startEmbedded() throws Exception {
        embedded = EmbeddedLab.start(EmbeddedLab.Options.throwaway());
        kind = "embedded (started in " + embedded.startMillis() + " ms)";
        Runtime.getRuntime().addShutdownHook(new Thread(embedded::close, "test-lab-stop"));
        return embedded.config();
    }

    /** Containers for the parts the environment does not name; stopped by Testcontainers' reaper when the JVM exits. */
    @SuppressWarnings("resource")
    private static LabConfig startContainers(Plan p) throws Exception {
        pullImages();
        // one network only when both run here: that is when a ClickHouse container can join them
        Network net = p.clickHouseContainerFits() ? Network.newNetwork() : Network.SHARED;
        LabConfig lab = LabConfig.localDefaults();
        kind = "testcontainers";
        if (p.kafka() == Source.CONTAINER) {
            KafkaContainer kafka = kafkaContainer(net);
            kafka.start();
            lab = lab.withKafka(kafka.getBootstrapServers(), "testcontainers");
        }
        if (p.s3() == Source.CONTAINER) {
            MinIOContainer minio = minioContainer(net);
            minio.start();
            lab = lab.withS3(minio.getS3URL(), LabConfig.DEFAULT_S3_ACCESS_KEY, LabConfig.DEFAULT_S3_SECRET_KEY, "testcontainers");
            try (MinioClient s3 = LabS3.client(lab)) {
                s3.makeBucket(MakeBucketArgs.builder().bucket(lab.bucket()).build());
            }
        }
        network = p.clickHouseContainerFits() ? net : null;
        return lab;
    }
}
