import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Exercise 01.1: the settings, as Kafka's own ProducerConfig reads them, and a real producer made from them. */
class ProducerSettingsTest {

    @Test
    void theSettingsAreStringSerializersAcksAllAndTheClientId() {
        LabConfig lab = TestLab.config();
        // Kafka's own reading of the settings: a class or its name, "all" or "-1" mean the same to it
        ProducerConfig config = new ProducerConfig(ProducerSettings.config(lab, "settings-test"));
        assertThat(config.getClass(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG)).as("key.serializer").isEqualTo(StringSerializer.class);
        assertThat(config.getClass(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG)).as("value.serializer").isEqualTo(StringSerializer.class);
        assertThat(config.getString(ProducerConfig.ACKS_CONFIG))
                .as("acks: a send counts only once every in-sync replica has it (\"all\", also written -1)").isIn("all", "-1");
        assertThat(config.getString(ProducerConfig.CLIENT_ID_CONFIG)).as("client.id").isEqualTo("settings-test");
        assertThat(config.getList(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)).as("bootstrap.servers: the lab's address is kept")
                .containsExactly(lab.kafkaBootstrap().split(","));
    }

    @Test
    void aProducerMadeFromThemWritesWhatTheBrokerKeepsUnderItsClientId() throws Exception {
        LabConfig lab = TestLab.config();
        String topic = TestLab.unique("producer-settings");
        LabKafka.ensureTopic(lab, topic, 1);
        String clientId = TestLab.unique("client");
        Properties settings = ProducerSettings.config(lab, clientId);
        RecordMetadata written;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(settings)) {
            written = producer.send(new ProducerRecord<>(topic, "ключ", "значение: UTF-8 both ways")).get();
            assertThat(producer.metrics().keySet()).as("the producer's metrics carry its client id as a tag")
                    .anyMatch(m -> clientId.equals(m.tags().get("client-id")));
        }
        List<ConsumerRecord<String, String>> records = LabTopics.readAll(lab, topic, Duration.ofSeconds(20));
        assertThat(records).as("records in the topic").hasSize(1);
        assertThat(records.get(0).offset()).as("offset the send reported is where the broker has it").isEqualTo(written.offset());
        assertThat(records.get(0).key()).as("key read back").isEqualTo("ключ");
        assertThat(records.get(0).value()).as("value read back").isEqualTo("значение: UTF-8 both ways");
    }
}
