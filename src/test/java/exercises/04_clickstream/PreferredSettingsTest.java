import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Exercise 04.3: the learner's settings are the preferred ones (acks=all, idempotence, batching, compression, bounded
 * waits), a real producer accepts them and delivers a clickstream with them, a broker that does not answer is reported
 * within seconds, and the learner's minimum delivery.timeout.ms is the very line where Kafka's producer starts refusing.
 */
class PreferredSettingsTest {

    @Test
    void theSettingsAreThePreferredOnes() {
        Properties p = PreferredSettings.preferred();
        assertThat(p.getProperty(ProducerConfig.ACKS_CONFIG)).as("acks: every in-sync replica").isIn("all", "-1");
        assertThat(p.getProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)).as("idempotence: retries never double").isEqualTo("true");
        assertThat(Long.parseLong(p.getProperty(ProducerConfig.LINGER_MS_CONFIG, "0"))).as("linger.ms: time to fill a batch")
                .isBetween(5L, 1_000L);
        assertThat(Integer.parseInt(p.getProperty(ProducerConfig.BATCH_SIZE_CONFIG, "0"))).as("batch.size: above the 16 KB default")
                .isGreaterThan(16_384);
        assertThat(p.getProperty(ProducerConfig.COMPRESSION_TYPE_CONFIG)).as("compression of whole batches").isIn("lz4", "zstd", "snappy", "gzip");
        assertThat(Long.parseLong(p.getProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000"))).as("max.block.ms: fail fast").isLessThanOrEqualTo(15_000);
        long delivery = Long.parseLong(p.getProperty(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000"));
        assertThat(delivery).as("delivery.timeout.ms: well under the 2-minute default").isLessThanOrEqualTo(60_000);
    }

    @Test
    void theMinimumDeliveryTimeoutIsWhereKafkasProducerStartsRefusing() {
        LabConfig lab = TestLab.config();
        for (Properties settings : List.of(props(20, 15_000), props(0, 5_000), props(-1, 1_000), props(500, -1), PreferredSettings.preferred())) {
            long minimum = PreferredSettings.minimumDeliveryTimeout(settings);
            Properties at = copy(settings);
            at.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(minimum));
            assertThatCode(() -> new KafkaProducer<>(ClickstreamProducer.config(lab, at)).close())
                    .as("delivery.timeout.ms = %d with %s", minimum, settings).doesNotThrowAnyException();
            Properties below = copy(settings);
            below.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(minimum - 1));
            assertThatThrownBy(() -> new KafkaProducer<>(ClickstreamProducer.config(lab, below)).close())
                    .as("delivery.timeout.ms = %d with %s", minimum - 1, settings).hasRootCauseInstanceOf(ConfigException.class);
        }
    }

    @Test
    void aRealProducerWithTheseSettingsDeliversTheClickstream() {
        LabConfig lab = TestLab.config();
        Properties p = PreferredSettings.preferred();
        assertThat(Long.parseLong(p.getProperty(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000")))
                .as("delivery.timeout.ms covers linger.ms + request.timeout.ms").isGreaterThanOrEqualTo(PreferredSettings.minimumDeliveryTimeout(p));
        String topic = TestLab.unique("settings04");
        LabKafka.ensureTopic(lab, topic, 3);
        ClickstreamProducer.Result r = ClickstreamProducer.run(lab, p, new ClickstreamSender(),
                ClickstreamProducer.Options.count(topic, 10_000), new Clickstream(43), s -> { });
        assertThat(r.acknowledged()).as("events the broker acknowledged").isEqualTo(10_000);
        assertThat(r.failed()).as("failed sends").isZero();
        assertThat(LabTopics.endOffsets(lab, topic).values().stream().mapToLong(Long::longValue).sum()).as("records in the topic").isEqualTo(10_000);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aBrokerThatDoesNotAnswerGivesAClearErrorInsteadOfHanging() throws Exception {
        Properties p = PreferredSettings.preferred();
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        LabConfig nowhere = TestLab.config().withKafka("127.0.0.1:" + port, "test");
        assertThatThrownBy(() -> ClickstreamProducer.run(nowhere, p, new ClickstreamSender(),
                ClickstreamProducer.Options.count("music_events", 10), new Clickstream(1), line -> { }))
                .isInstanceOf(LabException.class)
                .hasMessageContaining("127.0.0.1:" + port)
                .hasMessageContaining("./jbang lab up");
    }

    /** linger.ms and request.timeout.ms (-1: not set, Kafka's default applies). */
    private static Properties props(long linger, long request) {
        Properties p = new Properties();
        if (linger >= 0) {
            p.put(ProducerConfig.LINGER_MS_CONFIG, Long.toString(linger));
        }
        if (request >= 0) {
            p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(request));
        }
        return p;
    }

    private static Properties copy(Properties p) {
        Properties c = new Properties();
        c.putAll(p);
        return c;
    }
}
