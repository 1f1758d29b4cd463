import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

/** Exercise 03.2: every user's events are keyed by the user, in one partition, in the order sent - read back from the broker. */
class KeyedSendsTest {
    private static final int PARTITIONS = 3;

    @Test
    void eachUsersEventsAreInOnePartitionInTheOrderSent() throws Exception {
        LabConfig lab = TestLab.config();
        String topic = TestLab.unique("keyed-sends");
        LabKafka.ensureTopic(lab, topic, PARTITIONS);
        int perUser = 20;
        List<UserEvent> events = interleaved(12, perUser);
        List<RecordMetadata> landed;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(KeyedSends.config(lab))) {
            landed = KeyedSends.send(producer, topic, events);
        }

        Map<String, Set<Integer>> partitionsOfUser = new TreeMap<>();
        Map<String, List<Integer>> seqsInLogOrder = new TreeMap<>();
        // readAll returns each partition in offset order: the order a consumer of that partition sees
        for (ConsumerRecord<String, String> r : LabTopics.readAll(lab, topic, Duration.ofSeconds(20))) {
            UserEvent e = UserEvent.fromJson(r.value());
            assertThat(r.key()).as("the key of %s is the user id", r.value()).isEqualTo(e.userId());
            partitionsOfUser.computeIfAbsent(e.userId(), k -> new TreeSet<>()).add(r.partition());
            seqsInLogOrder.computeIfAbsent(e.userId(), k -> new ArrayList<>()).add(e.seq());
        }
        assertThat(seqsInLogOrder).as("users found in the topic").hasSize(12);
        List<Integer> oneToN = new ArrayList<>();
        for (int seq = 1; seq <= perUser; seq++) {
            oneToN.add(seq);
        }
        seqsInLogOrder.forEach((user, seqs) -> assertThat(seqs)
                .as("%s's sequence numbers in offset order: 1..%d, none missing, none repeated, none out of order", user, perUser)
                .isEqualTo(oneToN));
        partitionsOfUser.forEach((user, partitions) -> assertThat(partitions)
                .as("partitions holding %s's events: one, the one Kafka's partitioner computes from the key", user)
                .containsExactly(BuiltInPartitioner.partitionForKey(user.getBytes(StandardCharsets.UTF_8), PARTITIONS)));
        assertThat(partitionsOfUser.values().stream().flatMap(Set::stream).collect(Collectors.toSet()))
                .as("12 users spread over all 3 partitions").containsExactlyInAnyOrder(0, 1, 2);
        assertThat(landed).as("one RecordMetadata per event sent").hasSize(events.size());
        for (int i = 0; i < events.size(); i++) {
            assertThat(landed.get(i).partition()).as("partition send() reported for event %s, in send order", events.get(i))
                    .isEqualTo(BuiltInPartitioner.partitionForKey(events.get(i).userId().getBytes(StandardCharsets.UTF_8), PARTITIONS));
        }
    }

    @Test
    void theSettingsKeepOrderWhenABatchIsRetried() {
        ProducerConfig config = new ProducerConfig(KeyedSends.config(TestLab.config()));
        assertThat(config.getBoolean(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG))
                .as("enable.idempotence: a retried batch is neither duplicated nor reordered").isTrue();
        assertThat(config.getString(ProducerConfig.ACKS_CONFIG)).as("acks (idempotence needs all)").isIn("all", "-1");
        assertThat(config.getInt(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION))
                .as("max.in.flight.requests.per.connection: at most 5 keeps order with idempotence").isBetween(1, 5);
    }

    /** user-01 #1, user-02 #1, ..., user-01 #2, ...: events of different users mixed, as they happen. */
    private static List<UserEvent> interleaved(int users, int perUser) {
        List<UserEvent> events = new ArrayList<>();
        for (int seq = 1; seq <= perUser; seq++) {
            for (int u = 1; u <= users; u++) {
                events.add(new UserEvent(String.format("user-%02d", u), seq, seq % 2 == 0 ? "pause_track" : "track_playback"));
            }
        }
        return events;
    }
}
