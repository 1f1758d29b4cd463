import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.clickhouse.client.api.query.GenericRecord;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Lesson 11's application against a real broker (the test lab): a fixed-seed clickstream with a few broken messages,
 * processed under exactly_once_v2 by the solutions of exercises 11.1-11.4. Its windows must hold the plain count of
 * the same events, ClickHouse's count per minute (lesson 08's table, when a ClickHouse is there) must agree, bad
 * messages must reach the dead-letter topic without stopping anything, and two instances must split the work.
 */
class Lesson11KafkaStreamsTest {
    private static final int EVENTS = 6_000;
    private static final List<String> BAD = List.of("not json", "{\"event_params\": {\"event_type_id\": 99}}", "");

    private static LabConfig lab;
    private static String topic;
    private static List<MusicEvent> events;
    private static Map<String, Long> expected;
    private static ClickstreamTopology.Options options;
    private static Path stateDir;
    private static StreamsApp app;

    @BeforeAll
    static void runTheApplicationOverAFixedSeedStream() throws Exception {
        lab = TestLab.config();
        topic = TestLab.unique("music_events_streams");
        LabKafka.ensureTopic(lab, topic, 3);
        events = ClickstreamFeed.events(11, EVENTS, Instant.now().truncatedTo(ChronoUnit.MINUTES), Duration.ofMinutes(10));
        expected = ClickstreamFeed.playsPerMinute(events);
        ClickstreamFeed.send(lab, topic, events, BAD);
        options = ClickstreamTopology.Options.defaults(topic, TestLab.unique("lesson11"));
        stateDir = Files.createTempDirectory("lesson11-test-state");
        app = StreamsApp.start(lab, options, parts(new ExactlyOnce()),
                StreamsApp.Instance.named("instance-a", stateDir).deadLetters(topic + "_dlq"))
                .awaitRunning(Duration.ofSeconds(120));
        Duration took = StreamsApp.awaitCaughtUp(lab, options.applicationId(), topic, Duration.ofSeconds(180), app::checkAlive);
        System.out.printf("[lesson11] %,d events + %d bad caught up in %d ms: %,d windows%n", EVENTS, BAD.size(), took.toMillis(), expected.size());
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    static ClickstreamTopology.Parts parts(ClickstreamTopology.Guarantee guarantee) {
        return new ClickstreamTopology.Parts(new EventTime(), new PlaysPerMinute(), new SkipRatePerSession(), guarantee);
    }

    @Test
    void everyWindowHoldsThePlainCountOfTheSameEvents() {
        assertThat(app.localPlays()).as("plays per track per minute in the window store (interactive query) vs a plain count")
                .isEqualTo(expected);
        Properties reader = new Properties();
        new ExactlyOnce().readerSettings(reader);
        Map<String, Long> onTopic = new TreeMap<>();
        latest(options.playsTopic(), reader).forEach((k, v) -> onTopic.put(k, Long.parseLong(v)));
        assertThat(onTopic).as("the latest count per key on %s, read committed", options.playsTopic()).isEqualTo(expected);
        assertThat(app.droppedRecords()).as("records Kafka Streams dropped (metric dropped-records-total): the bad messages the handler"
                + " skipped, and not one play as too late (the grace covers the backlog)").isEqualTo(BAD.size());
    }

    @Test
    void clickHouseCountsTheSamePlaysPerMinute() {
        TestClickHouse.Found found = TestClickHouse.get(); // skips, saying what is missing, without a ClickHouse
        ClickHouse ch = found.clickhouse();
        Map<String, String> params = Map.of("table", "(SELECT * FROM music_events WHERE kafka_topic = '" + topic + "')");
        MusicEventsPipeline.start(ch, found.kafkaBrokerList(), topic, null, null); // lesson 08's tables, solved
        try {
            ClickHouse.awaitAtLeast(() -> ch.count("SELECT count() FROM music_events WHERE kafka_topic = '" + topic + "'"), EVENTS,
                    Duration.ofSeconds(180));
        } finally {
            MusicEventsPipeline.stop(ch);
        }
        Map<String, Long> clickhouse = new TreeMap<>();
        for (GenericRecord row : ch.queryFile(Path.of("sql/11_plays_per_minute.sql"), params)) {
            clickhouse.put(row.getString("track") + "@" + row.getString("minute"), row.getLong("plays"));
        }
        assertThat(clickhouse).as("sql/11_plays_per_minute.sql over lesson 08's table vs Kafka Streams' windows").isEqualTo(app.localPlays());
    }

    @Test
    void badMessagesGoToTheDeadLetterTopicAndTheStreamGoesOn() {
        assertThat(app.seen()).as("events that reached the topology").isEqualTo(EVENTS);
        assertThat(app.deadLetters()).as("messages the deserialization exception handler counted").isEqualTo(BAD.size());
        List<ConsumerRecord<String, String>> letters = LabTopics.readAll(lab, topic + "_dlq", Duration.ofSeconds(30));
        assertThat(letters).as("dead letters, with the original bytes").extracting(ConsumerRecord::value).containsExactlyInAnyOrderElementsOf(BAD);
        for (ConsumerRecord<String, String> letter : letters) {
            assertThat(header(letter, "dlq.source.topic")).as("where a dead letter came from").isEqualTo(topic);
            assertThat(header(letter, "dlq.error")).as("why it is a dead letter").startsWith("not a music event");
        }
    }

    @Test
    void twoInstancesSplitThePartitionsAndTheStoreMovesBetweenThem() throws Exception {
        ClickstreamTopology.Options two = ClickstreamTopology.Options.defaults(topic, TestLab.unique("lesson11-scale"));
        Path dir = Files.createTempDirectory("lesson11-scale");
        try (StreamsApp a = StreamsApp.start(lab, two, parts(new ExactlyOnce()), StreamsApp.Instance.named("scale-a", dir.resolve("a")).http(0))) {
            a.awaitRunning(Duration.ofSeconds(120));
            StreamsApp.awaitCaughtUp(lab, two.applicationId(), topic, Duration.ofSeconds(180), a::checkAlive);
            Set<String> allTasks = a.assignment().active().keySet();
            assertThat(allTasks).as("one instance runs every task: 3 partitions x (read + count)").hasSize(6);
            try (StreamsApp b = StreamsApp.start(lab, two, parts(new ExactlyOnce()), StreamsApp.Instance.named("scale-b", dir.resolve("b")).http(0)
                    .settings(p -> p.put("acceptable.recovery.lag", "1000000000")))) {
                awaitSplit(a, b, Duration.ofSeconds(120));
                Set<String> tasksOfA = a.assignment().active().keySet();
                Set<String> tasksOfB = b.assignment().active().keySet();
                assertThat(tasksOfA).as("tasks of the first instance, once the second joined").isNotEmpty().doesNotContainAnyElementsOf(tasksOfB);
                Set<String> union = new HashSet<>(tasksOfA);
                union.addAll(tasksOfB);
                assertThat(union).as("the two instances' tasks together").isEqualTo(allTasks);
                assertThat(b.restores()).as("store partitions the second instance restored from changelog topics")
                        .anyMatch(r -> r.store().equals(ClickstreamTopology.PLAYS_STORE) && r.records() > 0);
                Map<String, Long> both = new TreeMap<>(a.localPlays());
                assertThat(b.localPlays().keySet()).as("windows in both local stores").doesNotContainAnyElementsOf(both.keySet());
                both.putAll(b.localPlays());
                assertThat(both).as("the two local stores together (interactive queries of each)").isEqualTo(expected);

                String newest = expected.keySet().stream().map(k -> k.substring(k.indexOf('@') + 1)).max(String::compareTo).orElseThrow();
                List<String> top = expected.entrySet().stream().filter(e -> e.getKey().endsWith("@" + newest))
                        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                        .limit(5).map(e -> e.getKey().substring(0, e.getKey().indexOf('@')) + " " + e.getValue()).toList();
                JsonNode answer = new ObjectMapper().readTree(HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create(a.httpUrl() + "/top?n=5&scope=all")).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                assertThat(answer.path("minute").asText()).as("the newest minute, asked of the first instance's endpoint").isEqualTo(newest);
                List<String> answered = new java.util.ArrayList<>();
                answer.path("tracks").forEach(t -> answered.add(t.path("track").asText() + " " + t.path("plays").asLong()));
                assertThat(answered).as("top 5 tracks of the newest minute from GET %s/top?n=5&scope=all (both instances' stores) "
                        + "vs the plain count", a.httpUrl()).isEqualTo(top);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!a.assignment().active().keySet().equals(allTasks) || a.streams().state() != org.apache.kafka.streams.KafkaStreams.State.RUNNING) {
                assertThat(System.nanoTime()).as("the first instance takes every task back within 120 s of the second leaving").isLessThan(deadline);
                Thread.sleep(100);
            }
            assertThat(a.localPlays()).as("the first instance's store, alone again").isEqualTo(expected);
        }
    }

    private static void awaitSplit(StreamsApp a, StreamsApp b, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean running = a.streams().state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING
                    && b.streams().state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING;
            if (running && !b.assignment().active().isEmpty() && !a.assignment().active().isEmpty()) {
                b.awaitRunning(timeout);
                return;
            }
            a.checkAlive();
            b.checkAlive();
            assertThat(System.nanoTime()).as("two instances share the tasks within %s", timeout).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** The latest value of every key of an output topic, read with the given reader settings. */
    static Map<String, String> latest(String outputTopic, Properties readerSettings) {
        Map<String, String> latest = new TreeMap<>();
        LabTopics.readAll(lab, outputTopic, readerSettings, Duration.ofSeconds(60)).forEach(r -> latest.put(r.key(), r.value()));
        return latest;
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        return r.headers().lastHeader(name) == null ? null : new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
