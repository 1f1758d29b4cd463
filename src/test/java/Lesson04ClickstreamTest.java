import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Lesson 04: the clickstream lands in Kafka in the original's shape, keyed by user, in order per user. */
class Lesson04ClickstreamTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int COUNT = 20_000;
    /** Allowed gap between a type's share and its weight: about 4 standard deviations at 20,000 events. */
    private static final double TOLERANCE = 0.015;
    private static ClickstreamProducer.Result result;
    private static List<ConsumerRecord<String, String>> records;
    private static Set<String> knownUsers;

    @BeforeAll
    static void generate() {
        LabConfig lab = TestLab.config();
        String topic = TestLab.unique("music_events");
        LabKafka.ensureTopic(lab, topic, 3);
        Clickstream stream = new Clickstream(42);
        knownUsers = new HashSet<>();
        stream.users().forEach(u -> knownUsers.add(u.id()));
        result = ClickstreamProducer.run(lab, ClickstreamProducer.Options.count(topic, COUNT), stream, line -> { });
        records = LabTopics.readAll(lab, topic, Duration.ofSeconds(30));
    }

    @Test
    void everyEventIsAcknowledgedAndInTheTopic() {
        assertThat(result.acknowledged()).as("events the broker acknowledged").isEqualTo(COUNT);
        assertThat(result.failed()).as("failed sends").isZero();
        assertThat(records).as("records in the topic").hasSize(COUNT);
    }

    @Test
    void eventTypesFollowTheOriginalWeights() throws Exception {
        Map<EventType, Integer> counts = new EnumMap<>(EventType.class);
        for (ConsumerRecord<String, String> r : records) {
            EventType type = EventType.byId(JSON.readTree(r.value()).path("event_params").path("event_type_id").asInt());
            counts.merge(type, 1, Integer::sum);
        }
        for (EventType type : EventType.values()) {
            double share = counts.getOrDefault(type, 0) / (double) records.size();
            assertThat(share).as("share of %s (weight %.2f)", type.nameEn, type.weight).isCloseTo(type.weight, within(TOLERANCE));
        }
    }

    @Test
    void everyMessageHasExactlyTheFieldsItsTypeRequires() throws Exception {
        for (ConsumerRecord<String, String> r : records) {
            JsonNode root = JSON.readTree(r.value());
            assertThat(names(root)).as("top level of %s", r.value()).containsExactly("event_params", "event_timestamp_ms");
            JsonNode params = root.path("event_params");
            EventType type = EventType.byId(params.path("event_type_id").asInt());
            assertThat(type).as("a known event type in %s", r.value()).isNotNull();
            List<String> expected = new ArrayList<>(List.of("event_type_id", "event_type", "user_id", "platform_token", "ipv4", "country"));
            expected.addAll(type.specificFields);
            assertThat(names(params)).as("fields of a %s event", type.nameEn).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(params.path("event_type").asText()).as("name of type %d", type.id).isEqualTo(type.nameEn);
            assertThat(params.path("ipv4").asText()).as("ipv4").matches("(\\d{1,3}\\.){3}\\d{1,3}");
            if (type == EventType.TRACK_LIKE || type == EventType.TRACK_UNLIKE) {
                assertThat(params.path("uuid_track_like_status").asInt()).as("like status of %s", type.nameEn)
                        .isEqualTo(type == EventType.TRACK_LIKE ? 1 : 0);
            }
            JsonNode time = root.path("event_timestamp_ms");
            assertThat(names(time)).as("event_timestamp_ms").containsExactlyInAnyOrder("ts", "ts_ms");
            assertThat(time.path("ts").asLong()).as("ts is ts_ms in seconds").isEqualTo(time.path("ts_ms").asLong() / 1000);
            assertThat(MusicEvent.parse(r.value().getBytes(java.nio.charset.StandardCharsets.UTF_8)).type())
                    .as("the shared event model reads it back").isEqualTo(type);
        }
    }

    @Test
    void keysAreUserIdsAndEachUserKeepsOnePartitionAndTheOrderOfItsEvents() throws Exception {
        Map<String, Integer> partitionOfUser = new HashMap<>();
        Map<String, Long> lastTsOfUser = new HashMap<>();
        for (ConsumerRecord<String, String> r : records) { // in each partition's order
            String user = JSON.readTree(r.value()).path("event_params").path("user_id").asText();
            long ts = JSON.readTree(r.value()).path("event_timestamp_ms").path("ts_ms").asLong();
            assertThat(r.key()).as("key of offset %d", r.offset()).isEqualTo(user);
            assertThat(knownUsers).as("user ids come from the users table").contains(user);
            assertThat(partitionOfUser.computeIfAbsent(user, u -> r.partition())).as("partition of user %s", user)
                    .isEqualTo(r.partition());
            Long previous = lastTsOfUser.put(user, ts);
            if (previous != null) {
                assertThat(ts).as("events of user %s are in the order they happened", user).isGreaterThan(previous);
            }
        }
        assertThat(new HashSet<>(partitionOfUser.values())).as("users spread over the 3 partitions").hasSize(3);
    }

    @Test
    @Timeout(60)
    void aBrokerThatDoesNotAnswerGivesAClearErrorInsteadOfHanging() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        LabConfig nowhere = TestLab.config().withKafka("127.0.0.1:" + port, "test");
        assertThatThrownBy(() -> ClickstreamProducer.run(nowhere, ClickstreamProducer.Options.count("music_events", 10),
                new Clickstream(1), line -> { }))
                .isInstanceOf(LabException.class)
                .hasMessageContaining("127.0.0.1:" + port)
                .hasMessageContaining("./jbang lab up");
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
