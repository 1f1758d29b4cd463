import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The lab itself: it answers, it reads its settings from the environment, and its errors say what to do. */
class LabTest {

    @Test
    void theSharedLabAnswersOnKafkaAndS3() {
        LabConfig lab = TestLab.config();
        LabKafka.ClusterInfo cluster = LabKafka.probe(lab, Duration.ofSeconds(10));
        assertThat(cluster.brokers()).as("brokers answering at %s", lab.kafkaBootstrap()).isGreaterThanOrEqualTo(1);
        assertThat(cluster.clusterId()).as("a KRaft cluster has an id").isNotBlank();
        assertThat(LabS3.probe(lab)).as("buckets at %s: the course bucket exists from the start", lab.s3Endpoint())
                .contains(lab.bucket());
    }

    @Test
    void aClientPropertiesFileReachesEveryKafkaClientAndTheEnvironmentWins(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cluster.properties");
        Files.writeString(file, """
                bootstrap.servers=shared.example:9093
                security.protocol=SASL_SSL
                sasl.mechanism=PLAIN
                sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="s3cret";
                """);
        LabConfig fileOnly = LabConfig.from(Map.of("KAFKA_CLIENT_PROPERTIES", file.toString())::get);
        assertThat(fileOnly.kafkaBootstrap()).as("bootstrap taken from the properties file").isEqualTo("shared.example:9093");
        assertThat(fileOnly.kafkaProperties()).as("security settings handed to every client")
                .containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "PLAIN");
        assertThat(fileOnly.describe()).as("the printable description never shows credentials")
                .contains("SASL_SSL").doesNotContain("s3cret");

        LabConfig both = LabConfig.from(Map.of("KAFKA_CLIENT_PROPERTIES", file.toString(),
                "KAFKA_BOOTSTRAP_SERVERS", "other.example:9092")::get);
        assertThat(both.kafkaProperties()).as("KAFKA_BOOTSTRAP_SERVERS wins over the file")
                .containsEntry("bootstrap.servers", "other.example:9092");
    }

    @Test
    void withNothingSetTheDefaultsAreTheComposePorts() {
        LabConfig lab = LabConfig.from(name -> null);
        assertThat(lab.kafkaBootstrap()).isEqualTo("127.0.0.1:9092");
        assertThat(lab.s3Endpoint()).isEqualTo("http://127.0.0.1:9000");
        assertThat(lab.origin()).isEqualTo("local lab defaults");
        assertThatThrownBy(() -> LabConfig.from(Map.of("KAFKA_CLIENT_PROPERTIES", "/no/such/file.properties")::get))
                .as("a wrong properties path is named, not ignored")
                .hasMessageContaining("/no/such/file.properties");
    }

    @Test
    @Timeout(30)
    void aMissingBrokerIsReportedWithItsAddressAndHowToStartOne() throws Exception {
        int port = freePort();
        LabConfig nowhere = LabConfig.localDefaults().withKafka("127.0.0.1:" + port, "test");
        assertThatThrownBy(() -> LabKafka.probe(nowhere, Duration.ofSeconds(3)))
                .isInstanceOf(LabException.class)
                .hasMessageContaining("127.0.0.1:" + port)
                .hasMessageContaining("./jbang lab up")
                .hasMessageContaining("docker compose up -d");
    }

    @Test
    void aTakenPortIsNamedWithWhatToDo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> EmbeddedLab.claim(port, "Kafka", "--kafka-port"))
                    .isInstanceOf(LabException.class)
                    .hasMessageContaining("Port " + port)
                    .hasMessageContaining("already taken")
                    .hasMessageContaining("lab status")
                    .hasMessageContaining("--kafka-port");
        }
    }

    @Test
    @Timeout(30)
    void s3ProblemsSayWhatIsWrong() throws Exception {
        LabConfig lab = TestLab.config();
        LabConfig wrongKeys = lab.withS3(lab.s3Endpoint(), lab.s3AccessKey(), "not-the-secret", "test");
        assertThatThrownBy(() -> LabS3.probe(wrongKeys)).as("wrong secret key")
                .isInstanceOf(LabException.class).hasMessageContaining("refused the keys").hasMessageContaining(lab.s3Endpoint());

        String nowhere = "http://127.0.0.1:" + freePort();
        assertThatThrownBy(() -> LabS3.probe(lab.withS3(nowhere, "minioadmin", "minioadmin", "test"))).as("no server")
                .isInstanceOf(LabException.class).hasMessageContaining(nowhere).hasMessageContaining("./jbang lab up");
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
