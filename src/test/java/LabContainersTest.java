import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;
import org.testcontainers.clickhouse.ClickHouseContainer;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The Docker path of the tests, checked where no Docker answers: every container the test lab ({@link TestLab}) and
 * the test ClickHouse ({@link TestClickHouse}) would start is built here (built, not started: that needs no engine)
 * with the images docker-compose.yml pins, so a container class refusing an image shows up on every machine. And the
 * rules that keep a ClickHouse from being paired with a Kafka or S3 it cannot reach.
 */
class LabContainersTest {

    @Test
    void everyContainerOfTheTestLabBuildsWithTheImageOfDockerCompose() throws Exception {
        JsonNode services = new YAMLMapper().readTree(Files.readString(Path.of("docker-compose.yml"))).path("services");
        Network network = Network.newNetwork(); // lazy: created in Docker only when a container starts on it
        KafkaContainer kafka = TestLab.kafkaContainer(network);
        MinIOContainer minio = TestLab.minioContainer(network);
        ClickHouseContainer clickhouse = TestClickHouse.container(network);
        Map<String, GenericContainer<?>> built = Map.of("kafka", kafka, "minio", minio, "clickhouse", clickhouse);
        built.forEach((service, container) -> {
            String composeImage = services.path(service).path("image").asText();
            assertThat(composeImage).as("docker-compose.yml pins an image for %s", service).isNotBlank();
            // RemoteDockerImage names the image it was given (resolving it would need Docker)
            assertThat(container.getImage().toString()).as("image of the %s container", service).contains("imageName=" + composeImage);
            assertThat(container.getNetwork()).as("the %s container joins the lab's network", service).isSameAs(network);
        });
        assertThat(minio.getNetworkAliases()).as("how ClickHouse's s3() reaches MinIO (http://minio:9000, as in compose)").contains("minio");
    }

    @Test
    void containersStartOnlyForWhatTheEnvironmentDoesNotName() {
        assertThat(plan(Map.of(), true)).as("nothing set, Docker answers").isEqualTo(new TestLab.Plan(TestLab.Source.CONTAINER, TestLab.Source.CONTAINER));
        assertThat(plan(Map.of(), false)).as("nothing set, no Docker").isEqualTo(new TestLab.Plan(TestLab.Source.EMBEDDED, TestLab.Source.EMBEDDED));
        assertThat(plan(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"), true)).as("only Kafka named, Docker answers")
                .isEqualTo(new TestLab.Plan(TestLab.Source.ENVIRONMENT, TestLab.Source.CONTAINER));
        assertThat(plan(Map.of("S3_ENDPOINT", "http://127.0.0.1:9000"), true)).as("only S3 named, Docker answers")
                .isEqualTo(new TestLab.Plan(TestLab.Source.CONTAINER, TestLab.Source.ENVIRONMENT));
        assertThat(plan(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092", "S3_ENDPOINT", "http://127.0.0.1:9000"), true))
                .as("both named: nothing starts").isEqualTo(new TestLab.Plan(TestLab.Source.ENVIRONMENT, TestLab.Source.ENVIRONMENT));
    }

    @Test
    void aClickHouseIsNeverPairedWithAKafkaOrS3ItCannotReach() {
        for (Map<String, String> partial : List.of(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"), Map.of("S3_ENDPOINT", "http://127.0.0.1:9000"))) {
            TestLab.Plan plan = plan(partial, true);
            assertThat(plan.clickHouseContainerFits()).as("a ClickHouse container next to %s: it would read containers the test never wrote to", partial).isFalse();
            assertThat(plan.whyNoClickHouseContainer()).as("why, with %s", partial).contains("CLICKHOUSE_URL");
        }
        assertThat(plan(Map.of(), true).clickHouseContainerFits()).as("Kafka and MinIO containers on one network").isTrue();
        for (boolean docker : new boolean[] {true, false}) {
            String mismatch = plan(Map.of(), docker).serverMismatch("http://127.0.0.1:8123");
            assertThat(mismatch).as("CLICKHOUSE_URL at a compose server while the tests start their own Kafka and S3 (Docker: %s)", docker)
                    .contains("KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092", "S3_ENDPOINT=http://127.0.0.1:9000", "CLICKHOUSE_URL=http://127.0.0.1:8123");
        }
        assertThat(plan(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"), false).serverMismatch("http://127.0.0.1:8123"))
                .as("a server with Kafka from the environment but the tests' own S3").contains("S3 (the embedded lab");
        assertThat(plan(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092", "S3_ENDPOINT", "http://127.0.0.1:9000"), true)
                .serverMismatch("http://127.0.0.1:8123")).as("all three named: one lab").isNull();
    }

    private static TestLab.Plan plan(Map<String, String> settings, boolean docker) {
        return TestLab.plan(settings::get, docker);
    }
}
