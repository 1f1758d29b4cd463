import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Exercise 01.3: the count is the broker's acknowledgements, all of them; a refused message is reported, not lost silently. */
class SendWithCallbackTest {

    @Test
    void everyValueIsAcknowledgedBeforeSendAllReturnsAndLandsOnce() {
        LabConfig lab = TestLab.config();
        String topic = TestLab.unique("send-callback");
        LabKafka.ensureTopic(lab, topic, 1);
        List<String> values = values("person", 25);
        // the producer holds records back up to 2 s to batch them: whoever returns before the answers came counts too few
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerSettings(lab, Map.of(
                ProducerConfig.LINGER_MS_CONFIG, "2000", ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(1 << 20))))) {
            assertThat(SendWithCallback.sendAll(producer, topic, values))
                    .as("acknowledged sends when sendAll returned (the producer is still open: nothing else waited)").isEqualTo(25);
        }
        List<String> read = LabTopics.readAll(lab, topic, Duration.ofSeconds(20)).stream().map(ConsumerRecord::value).toList();
        assertThat(read).as("values in the topic, in the order sent (one partition)").isEqualTo(values);
    }

    @Test
    void aMessageTheBrokerRefusesIsReportedAndTheOthersStillLand() throws Exception {
        LabConfig lab = TestLab.config();
        String topic = TestLab.unique("send-callback-refused");
        try (Admin admin = LabKafka.admin(lab)) {
            // this topic takes batches of at most 2 KB: the broker refuses anything larger with RecordTooLargeException
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty())
                    .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "2048")))).all().get(15, TimeUnit.SECONDS);
        }
        LabKafka.ensureTopic(lab, topic, 1); // waits for the partition's leader
        List<String> values = new ArrayList<>(values("before", 10));
        values.add("x".repeat(4000));
        values.addAll(values("after", 10));
        Throwable thrown = null;
        // batches of at most 1 KB: the small values travel in batches the topic takes, the 4 KB one alone
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerSettings(lab, Map.of(
                ProducerConfig.BATCH_SIZE_CONFIG, "1024", ProducerConfig.LINGER_MS_CONFIG, "50")))) {
            SendWithCallback.sendAll(producer, topic, values);
        } catch (Todo.NotDoneException todo) {
            throw todo;
        } catch (RuntimeException e) {
            thrown = e;
        }
        assertThat(thrown).as("sendAll must not return a count when a message was refused").isNotNull();
        assertThat(thrown.getMessage()).as("what sendAll says: how many of how many were not written, and where")
                .startsWith("1 of 21 messages were not written to " + topic);
        assertThat(thrown.getCause()).as("the first failure the callback kept, the broker's own error")
                .isInstanceOf(RecordTooLargeException.class);
        List<String> read = LabTopics.readAll(lab, topic, Duration.ofSeconds(20)).stream().map(ConsumerRecord::value).toList();
        assertThat(read).as("the 20 small values are in the topic: one refusal does not stop the others")
                .containsExactlyElementsOf(values.stream().filter(v -> v.length() < 100).toList());
    }

    private static List<String> values(String prefix, int count) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            values.add(prefix + "-" + i + "-" + TestLab.unique("v"));
        }
        return values;
    }

    /** The test's own producer settings (not exercise 01.1's), plus {@code extra}. */
    private static Properties producerSettings(LabConfig lab, Map<String, String> extra) {
        Properties props = lab.kafkaProperties();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.putAll(extra);
        return props;
    }
}
