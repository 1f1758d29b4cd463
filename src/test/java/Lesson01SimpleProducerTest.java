import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Lesson 01: what the simple producer writes is what lands in the topic, in the original's shape. */
class Lesson01SimpleProducerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int COUNT = 25;
    private static final List<JsonNode> messages = new ArrayList<>();
    private static Instant before;
    private static Instant after;
    private static int acknowledged;

    @BeforeAll
    static void produceAndReadBack() throws Exception {
        LabConfig lab = TestLab.config();
        String topic = TestLab.unique("my_topic");
        LabKafka.ensureTopic(lab, topic, 1);
        before = Instant.now();
        acknowledged = SimpleProducer.produce(lab, topic, COUNT);
        after = Instant.now();
        for (ConsumerRecord<String, String> record : LabTopics.readAll(lab, topic, Duration.ofSeconds(20))) {
            messages.add(JSON.readTree(record.value()));
        }
    }

    @Test
    void everyMessageIsAcknowledgedAndLandsInTheTopicOnce() {
        assertThat(acknowledged).as("sends the broker acknowledged").isEqualTo(COUNT);
        assertThat(messages).as("messages read back from the topic").hasSize(COUNT);
        Set<String> ids = new HashSet<>();
        messages.forEach(m -> ids.add(m.path("uuid").asText()));
        assertThat(ids).as("distinct uuids: no message was written twice").hasSize(COUNT);
    }

    @Test
    void eachMessageHasExactlyTheFieldsOfTheOriginal() {
        for (JsonNode m : messages) {
            List<String> fields = new ArrayList<>();
            m.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).as("fields of %s", m).containsExactlyInAnyOrder("uuid", "first_name", "last_name", "middle_name", "timestamp");
            for (String name : List.of("first_name", "last_name", "middle_name")) {
                assertThat(m.path(name).isTextual()).as("%s is a string in %s", name, m).isTrue();
                assertThat(m.path(name).asText()).as("%s in %s", name, m).isNotBlank()
                        // the original used a Russian-locale faker; the names are data, kept as they are
                        .matches("[\\p{IsCyrillic} -]+");
            }
        }
    }

    @Test
    void uuidIsAVersion7UuidMadeDuringTheRun() {
        for (JsonNode m : messages) {
            UUID uuid = UUID.fromString(m.path("uuid").asText());
            assertThat(uuid.version()).as("version of %s", uuid).isEqualTo(7);
            assertThat(uuid.variant()).as("RFC variant of %s", uuid).isEqualTo(2);
            assertThat(UuidV7.timestamp(uuid)).as("time inside %s", uuid)
                    .isBetween(before.minusSeconds(1), after.plusSeconds(1));
        }
    }

    @Test
    void timestampIsIso8601InUtcTakenDuringTheRun() {
        for (JsonNode m : messages) {
            String text = m.path("timestamp").asText();
            assertThat(text).as("an ISO-8601 instant in UTC ends with Z").endsWith("Z");
            Instant ts = Instant.from(DateTimeFormatter.ISO_INSTANT.parse(text));
            assertThat(ts).as("timestamp %s", text).isBetween(before.minusSeconds(1), after.plusSeconds(1));
        }
    }
}
