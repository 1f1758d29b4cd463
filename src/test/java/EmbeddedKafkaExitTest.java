import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import org.apache.kafka.common.utils.Exit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker running in this JVM (the test lab, the fault tests, a lesson, the lab itself) must not end the JVM when
 * Kafka's server code gives up: its halt and exit become an exception that says so.
 */
class EmbeddedKafkaExitTest {

    @Test
    void kafkaCannotHaltOrExitAJvmThatRunsABroker(@TempDir Path dataDir) throws Exception {
        int port;
        int controllerPort;
        try (ServerSocket a = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ServerSocket b = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = a.getLocalPort();
            controllerPort = b.getLocalPort();
        }
        try (EmbeddedKafka broker = EmbeddedKafka.start(dataDir, port, controllerPort)) {
            // what Kafka's fatal-error paths call; without the trap this ends the test JVM on the spot
            assertThatThrownBy(() -> Exit.halt(1, "a fatal broker error")).as("Kafka's halt, with a broker in this JVM")
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("halt").hasMessageContaining("a fatal broker error");
            assertThatThrownBy(() -> Exit.exit(1, "a fatal broker error")).as("Kafka's exit, with a broker in this JVM")
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("exit");
        }
    }
}
