///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES ../lab/clickhouse/ClickHouse.java ../lab/clickhouse/KafkaTableStart.java ../lab/kafka/LabTopics.java ../lab/events/Clickstream.java ../lab/LabConfig.java ../lab/LabException.java ../lab/kafka/LabKafka.java ../lab/teaching/Lesson.java
//COMPILE_OPTIONS -encoding UTF-8
//SOURCES ../solutions/01_simple_producer/1_producer_settings/ProducerSettings.java ../solutions/01_simple_producer/2_person_message/PersonMessage.java ../solutions/01_simple_producer/3_send_with_callback/SendWithCallback.java
//SOURCES ../lab/kafka/ClickstreamProducer.java
//SOURCES ../solutions/04_clickstream/3_preferred_settings/PreferredSettings.java ../solutions/04_clickstream/4_clickstream_sender/ClickstreamSender.java
//MAIN ClickHouseKafkaEngineLesson
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=error

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import net.datafaker.Faker;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.query.GenericRecord;

/**
 * Lesson 08 — ClickHouse's Kafka engine. ClickHouse reads Kafka by itself: a Kafka table (a consumer), a materialized
 * view (what to do with each block of messages) and a MergeTree table (where the rows live). First the original
 * project's models, then the improved ones: a consumer group per Kafka table, typed columns, Kafka's virtual
 * columns, and every message that is no event kept in an errors table instead of blocking the stream. Java talks to
 * ClickHouse with ClickHouse's own client (com.clickhouse:client-v2), built as at work (lab/clickhouse/ClickHouse.java).
 *
 *   ./jbang lesson08 [--count 20000] [--people 100] [--seed 8] [--skip-original] [--code solutions|exercises]
 *
 * --code exercises runs your three files of exercises/08_clickhouse_kafka_engine/ instead of the solutions.
 *
 * Needs the lab with ClickHouse: `./jbang lab up` (the chDB bridge; `npm ci --prefix tools/chdb` once) or
 * `docker compose up -d`. CLICKHOUSE_URL says where ClickHouse is; CLICKHOUSE_KAFKA_BROKER_LIST how it reaches Kafka.
 */
class ClickHouseKafkaEngineLesson {
    // the original's names; in a workshop each learner's own (lab.topic: alice.my_topic, alice.music_events)
    static String MY_TOPIC = "my_topic";
    static String MUSIC_EVENTS = "music_events";
    /** Not JSON, cut-off JSON, the wrong shape, an empty message, an array: each must land in kafka_errors. */
    static final List<String> BROKEN = List.of("hello, not json", "{\"event_params\": {\"event_type_id\": 1,", "{\"user\": \"wrong shape\"}",
            "", "[]");
    /** The exercises of this lesson, in the order they run (each file in solutions/ or exercises/ under this folder). */
    static final List<String> EXERCISES = List.of("1_kafka_table/music_events_queue.sql", "2_typed_view/music_events_mv.sql",
            "3_errors_view/kafka_errors_mv.sql");

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = Lesson.options(args);
        Lesson.title("08");
        try {
            LabConfig lab = Lesson.lab();
            try (ClickHouse ch = ClickHouse.connect(lab)) {
                run(lab, ch, Long.parseLong(opt.getOrDefault("--count", "20000")), Integer.parseInt(opt.getOrDefault("--people", "100")),
                        Long.parseLong(opt.getOrDefault("--seed", "8")), !opt.containsKey("--skip-original"),
                        opt.getOrDefault("--code", "solutions"));
            }
            Lesson.finished("08");
        } catch (LabException | ServerException e) { // a lab problem, or ClickHouse refusing a statement: its message says why
            System.err.println("\n" + e.getMessage());
            System.exit(2);
        }
    }

    static void run(LabConfig lab, ClickHouse ch, long count, int people, long seed, boolean original, String code)
            throws Exception {
        Path root = courseRoot();
        MY_TOPIC = lab.topic(MY_TOPIC);
        MUSIC_EVENTS = lab.topic(MUSIC_EVENTS);
        String foo = lab.group("foo"); // the original's one group for both tables
        String brokers = ClickHouse.kafkaBrokerListFor(ch, lab);
        Map<String, String> params = Map.of("kafka_broker_list", brokers, "my_topic", MY_TOPIC, "music_events", MUSIC_EVENTS,
                "original_group", foo);

        Lesson.step(1, "Where ClickHouse is, and how it reaches Kafka");
        LabKafka.probe(lab, Duration.ofSeconds(5));
        Lesson.saw("ClickHouse " + ch.describe());
        Lesson.say("Java talks to it with ClickHouse's own client (com.clickhouse:client-v2), built as at work:");
        Lesson.saw("Client client = new Client.Builder().addEndpoint(\"" + lab.clickhouseUrl() + "\")");
        Lesson.saw("        .setUsername(\"" + lab.clickhouseUser() + "\").setPassword(<CLICKHOUSE_PASSWORD>).compressServerResponse(false).build();");
        Lesson.say("One client for the whole program (it pools connections); client.queryAll(sql) gives rows, client.execute(sql) runs DDL.");
        Lesson.saw("Kafka for our programs: " + lab.kafkaBootstrap() + "   for ClickHouse's Kafka engine: " + brokers);
        Lesson.say(ch.isChdb()
                ? "This is chDB: ClickHouse's engine as a library, in the Node process `./jbang lab up` started. It runs on this"
                        + "\n   machine, so it reaches Kafka at the same address as we do."
                : "A ClickHouse server: in docker compose it reaches Kafka as kafka:19092, the broker's listener for containers.");
        Lesson.say("The SQL files in sql/ say {kafka_broker_list} (and {my_topic}, {music_events}); this lesson fills them in.");
        if (lab.hasLearner()) {
            Lesson.say("Your tables are in ClickHouse database " + lab.clickhouseDatabase() + " (the client's default database here;"
                    + " in clickhouse-client: USE " + lab.clickhouseDatabase() + ", or " + lab.clickhouseTable("music_events") + ").");
        }

        // a previous run's Kafka tables would read this run's messages into tables the SQL files drop and remake:
        // stop their consumers first (their groups keep the committed offsets, so nothing is read twice)
        for (String t : List.of("kafka_simple_event_mat_view", "kafka_simple_event_consumer", "kafka_music_event_mat_view",
                "kafka_music_event_consumer", "my_topic_queue_mv", "people_mv", "people_errors_mv", "my_topic_queue", "music_events_gaps_mv",
                "music_events_queue_mv", "music_events_mv", "music_events_errors_mv", "music_events_queue")) {
            ch.execute("DROP TABLE IF EXISTS " + t);
        }

        Lesson.step(2, "Something to read: people in " + MY_TOPIC + ", events in " + MUSIC_EVENTS + ", and broken messages among them");
        LabKafka.ensureTopic(lab, MY_TOPIC, 1);
        LabKafka.ensureTopic(lab, MUSIC_EVENTS, 3);
        int sentPeople = producePeople(lab, MY_TOPIC, people);
        Clickstream stream = new Clickstream(seed);
        ClickstreamProducer.Result half = ClickstreamProducer.run(lab, PreferredSettings.preferred(), new ClickstreamSender(), ClickstreamProducer.Options.count(MUSIC_EVENTS, count / 2), stream, s -> { });
        produceRaw(lab, MUSIC_EVENTS, BROKEN);
        ClickstreamProducer.Result rest = ClickstreamProducer.run(lab, PreferredSettings.preferred(), new ClickstreamSender(), ClickstreamProducer.Options.count(MUSIC_EVENTS, count - count / 2), stream, s -> { });
        Lesson.saw(String.format("%,d people -> %s;  %,d events + %d broken messages -> %s", sentPeople, MY_TOPIC,
                half.acknowledged() + rest.acknowledged(), BROKEN.size(), MUSIC_EVENTS));
        BROKEN.forEach(b -> Lesson.saw("broken: '" + b + "'"));

        if (original) {
            Lesson.step(3, "The original's models (sql/08_1_original.sql): JSON format, group '" + foo + "' for both, String columns");
            ch.runFile(root.resolve("sql/08_1_original.sql"), params);
            // wait for my_topic's rows and for music_events' consumer to hit the broken message (at most 30 s)
            ClickHouse.awaitAtLeast(() -> ch.count("SELECT count() FROM kafka_simple_event_phys_table"), sentPeople, Duration.ofSeconds(30));
            ClickHouse.awaitAtLeast(() -> ch.count("SELECT sum(length(exceptions.text)) FROM system.kafka_consumers "
                    + "WHERE database = currentDatabase() AND table = 'kafka_music_event_consumer'"), 1, Duration.ofSeconds(30));
            Lesson.saw(String.format("kafka_simple_event_phys_table: %,d rows", ch.count("SELECT count() FROM kafka_simple_event_phys_table")));
            Lesson.saw(String.format("kafka_music_event_phys_table:  %,d rows", ch.count("SELECT count() FROM kafka_music_event_phys_table")));
            ch.query("SELECT * FROM kafka_music_event_phys_table LIMIT 1").forEach(r -> Lesson.saw("a row: " + ClickHouse.text(r)));
            for (GenericRecord c : ch.query("SELECT table, length(exceptions.text) AS errors, "
                    + "substring(arrayStringConcat(arraySlice(exceptions.text, -1), ''), 1, 160) AS last_error "
                    + "FROM system.kafka_consumers WHERE database = currentDatabase() AND table LIKE 'kafka\\_%\\_consumer' ORDER BY table")) {
                Lesson.saw(c.getString("table") + ": " + c.getString("errors") + " error(s)"
                        + (c.getString("errors").equals("0") ? "" : ", the last: " + c.getString("last_error").replace('\n', ' ')));
            }
            describeGroup(lab, foo);
            if (ch.count("SELECT count() FROM kafka_simple_event_phys_table") == 0) {
                Lesson.say("No rows from " + MY_TOPIC + " yet: group '" + foo + "' is still rebalancing (a member of an earlier run has to time");
                Lesson.say("out first) - one more cost of sharing a group. Run the lesson again in a minute and they arrive.");
            }
            Lesson.say("kafka_format='JSON' works: recent ClickHouse reads one plain object per message with it (26.7 here).");
            Lesson.say("JSONEachRow is still the format made for that (one object per row/message), the one the Kafka engine's");
            Lesson.say("documentation uses; JSON is the name of ClickHouse's {\"meta\", \"data\"} document format.");
            Lesson.say("music_events is stuck: the first broken message fails its whole block, again and again, and the error");
            Lesson.say("shows only in system.kafka_consumers. Nothing after it arrives - a stream stopped by one bad message.");
            Lesson.say("Both tables in group '" + foo + "': one rebalance moves both, their lag is mixed, neither can be reset alone.");
            Lesson.say("And every column is a String of JSON: each query has to re-parse event_params.");
            for (String t : List.of("kafka_simple_event_mat_view", "kafka_simple_event_consumer", "kafka_music_event_mat_view",
                    "kafka_music_event_consumer")) {
                ch.execute("DROP TABLE IF EXISTS " + t); // stops the stuck consumer; the phys tables stay to look at
            }
        }

        Lesson.step(4, "An errors table for broken messages (sql/08_2_kafka_errors.sql)");
        ch.runFile(root.resolve("sql/08_2_kafka_errors.sql"), params);
        Lesson.say("kafka_handle_error_mode='stream': a message that does not parse comes with _error and _raw_message set,");
        Lesson.say("a view sends it here, and the stream goes on.");

        Lesson.step(5, MY_TOPIC + ", improved (sql/08_3_my_topic.sql): JSONEachRow, its own group, typed columns, virtual columns");
        ch.runFile(root.resolve("sql/08_3_my_topic.sql"), params);

        Lesson.step(6, MUSIC_EVENTS + ", improved: sql/08_4_music_events.sql, then the three exercises (" + code + "/" + FOLDER + ")");
        long start = System.nanoTime();
        ch.runFile(root.resolve("sql/08_4_music_events.sql"), params);
        Lesson.say("sql/08_4: music_event_error(raw), the verdict on a message ('' = an event), rule by rule MusicEvent.parse's,");
        Lesson.say("so both roads (the sink in Java, these views) call the same offsets valid; the typed table music_events;");
        Lesson.say("and a view that records, every second, offsets the Kafka engine skipped (an empty message, a tombstone).");
        for (String exercise : EXERCISES) {
            Path file = root.resolve(code).resolve(FOLDER).resolve(exercise);
            if (Files.readString(file).contains("TODO 08.")) {
                stopConsuming(ch);
                throw new LabException(file + " still has its TODO: do it first (or run with --code solutions).");
            }
            try {
                ch.runFile(file, params);
            } catch (ServerException e) {
                stopConsuming(ch); // drop the half-made road; nothing has been consumed yet (that starts in the next step)
                throw e;
            }
            Lesson.saw(exercise + ":  " + ClickHouse.statements(Files.readString(file)).get(0).lines().findFirst().orElse(""));
        }
        Lesson.say("1: the Kafka table hands every message over whole (RawBLOB), in a group of its own (clickhouse_" + MUSIC_EVENTS + ").");
        Lesson.say("2: the typed view parses the valid ones into music_events; 3: the errors view sends the others to kafka_errors.");
        Lesson.say("Both views read music_events_raw, a Null table, and nothing reads the Kafka table yet: nothing is consumed.");

        Lesson.step(7, "Start consuming (sql/08_5_start_consuming.sql): the Kafka table's one view, created last");
        String group = "clickhouse_" + MUSIC_EVENTS;
        Map<Integer, Long> starts = KafkaTableStart.of(lab, group, MUSIC_EVENTS);
        Map<String, String> startParams = new HashMap<>(params);
        startParams.put("group_starts", KafkaTableStart.sqlValues(starts));
        ch.runFile(root.resolve("sql/08_5_start_consuming.sql"), startParams);
        Lesson.saw("group " + group + " starts at (partition=offset) " + starts + "   (from Kafka: committed, or the first offset)");
        Lesson.saw("CREATE MATERIALIZED VIEW music_events_queue_mv TO music_events_raw AS SELECT raw, _topic, _partition, _offset ...");
        Lesson.say("A Kafka table starts consuming when its first view appears, and a block goes only to the views that exist then.");
        Lesson.say("So it gets exactly one view, made last, when both views behind it exist: no block can miss one of them.");
        Lesson.say("The gap finder records empty messages and tombstones (the engine makes no row of them) from where the group");
        Lesson.say("started to where its consumer is: ClickHouse never learns the start itself, so it is written down first.");

        Lesson.step(8, "Waiting until ClickHouse has read everything (its groups' lag is 0)");
        long lag = awaitNoLag(lab, group, MUSIC_EVENTS, Duration.ofSeconds(180));
        long rows = ch.count("SELECT count() FROM music_events");
        double secs = (System.nanoTime() - start) / 1e9;
        Lesson.saw(String.format("%,d rows in music_events after %.1f s (group %s, lag %,d); %,d events produced this run",
                rows, secs, group, lag, half.acknowledged() + rest.acknowledged()));
        Lesson.saw(String.format("%,d rows in people (group clickhouse_%s, lag %,d)", ch.count("SELECT count() FROM people"),
                MY_TOPIC, awaitNoLag(lab, "clickhouse_" + MY_TOPIC, MY_TOPIC, Duration.ofSeconds(30))));
        long offsets = 0;
        for (Map.Entry<Integer, Long> end : LabTopics.endOffsets(lab, MUSIC_EVENTS).entrySet()) {
            offsets += end.getValue() - starts.getOrDefault(end.getKey(), 0L);
        }
        String errorsThisRun = "SELECT count() FROM kafka_errors WHERE kafka_topic = '" + MUSIC_EVENTS
                + "' AND received_at >= (SELECT min(recorded_at) FROM music_events_starts)";
        long target = offsets;
        ClickHouse.awaitAtLeast(() -> ch.count("SELECT count() FROM music_events") + ch.count(errorsThisRun), target, Duration.ofSeconds(30));
        long events = ch.count("SELECT count() FROM music_events");
        long errors = ch.count(errorsThisRun);
        Lesson.saw(String.format("%,d offsets of %s read this run, %,d verdicts: %,d in music_events + %,d in kafka_errors",
                offsets, MUSIC_EVENTS, events + errors, events, errors));
        Lesson.say("One verdict per offset: every message is an event or an error row, none lost, none twice (the gap finder");
        Lesson.say("adds the empty ones once the consumer is between blocks).");
        Lesson.say("A Kafka table's group starts at the earliest offset the first time, then where it committed: run this");
        Lesson.say("lesson again and the new tables get only the messages produced since (the group remembers).");
        Lesson.say("Run again, this wait takes ~45 s: the re-created table's consumer joins a group whose old member (the");
        Lesson.say("dropped table's) is only dropped after its session timeout. Re-create Kafka tables rarely.");

        Lesson.step(9, "Typed rows, with where each came from");
        for (GenericRecord r : ch.query("SELECT event_time, event_type_id, event_type, user_id, platform, country, uuid_track, "
                + "uuid_track_prev, uuid_track_current, like_status, kafka_partition, kafka_offset FROM music_events "
                + "ORDER BY event_time DESC LIMIT 3")) {
            Lesson.saw(ClickHouse.text(r).toString());
        }
        Lesson.saw("per type: " + ch.query("SELECT event_type, count() AS events FROM music_events GROUP BY event_type ORDER BY events DESC")
                .stream().map(r -> r.getString("event_type") + " " + r.getLong("events")).toList());
        ch.query("SELECT uuid, first_name, last_name, middle_name, created_at FROM people ORDER BY uuid DESC LIMIT 1")
                .forEach(r -> Lesson.saw("people: " + ClickHouse.text(r)));

        Lesson.step(10, "The broken messages: in kafka_errors, and the stream went on");
        for (GenericRecord e : ch.query("SELECT kafka_topic, kafka_partition, kafka_offset, raw_message, error FROM kafka_errors "
                + "ORDER BY received_at DESC LIMIT " + (BROKEN.size() + 2))) {
            Lesson.saw(e.getString("kafka_topic") + " " + e.getString("kafka_partition") + "/" + e.getString("kafka_offset") + "  '"
                    + e.getString("raw_message") + "'  <- " + e.getString("error").strip().lines().findFirst().orElse(""));
        }
        Lesson.say("An empty message reaches no view (the Kafka engine reads no row from it): the gap view recorded its offset.");

        Lesson.step(11, "One consumer group per Kafka table");
        describeGroup(lab, "clickhouse_" + MY_TOPIC);
        describeGroup(lab, group);
        Lesson.say("Watch them with: ./jbang kafka-consumer-groups --bootstrap-server " + lab.kafkaBootstrap() + " --describe --all-groups");
        Lesson.say("Your exercises: exercises/" + FOLDER + "/ (the Kafka table, the typed view, the errors view). Check them:");
        Lesson.say("  ./jbang course verify 08.1      (08.2, 08.3)");
        Lesson.say("  ./jbang lesson08 --skip-original --code exercises");
    }

    static final String FOLDER = "08_clickhouse_kafka_engine";

    /** Drops the Kafka table and its views: nothing consumes in the background any more. */
    static void stopConsuming(ClickHouse ch) {
        for (String t : List.of("music_events_gaps_mv", "music_events_queue_mv", "music_events_mv", "music_events_errors_mv",
                "music_events_queue")) {
            ch.execute("DROP TABLE IF EXISTS " + t);
        }
    }

    /** Waits until the group has committed the end of every partition of the topic; returns the lag left. */
    static long awaitNoLag(LabConfig lab, String group, String topic, Duration timeout) throws Exception {
        try (Admin admin = LabKafka.admin(lab)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions().size();
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                for (int p = 0; p < partitions; p++) {
                    latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
                }
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                long lag = 0;
                for (var e : admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).entrySet()) {
                    OffsetAndMetadata c = committed.get(e.getKey());
                    lag += e.getValue().offset() - (c == null ? 0 : c.offset());
                }
                if (lag == 0 || System.nanoTime() > deadline) {
                    return lag;
                }
                Thread.sleep(300);
            }
        }
    }

    static void describeGroup(LabConfig lab, String group) throws Exception {
        try (Admin admin = LabKafka.admin(lab)) {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group);
            Map<TopicPartition, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<String, Long> committedPerTopic = new TreeMap<>();
            offsets.forEach((tp, o) -> committedPerTopic.merge(tp.topic(), o.offset(), Long::sum));
            Lesson.saw(String.format("group %-26s %d member(s), committed offsets per topic %s", "'" + group + "'",
                    d.members().size(), committedPerTopic));
        }
    }

    /** Lesson 01's producer, put together from its three exercises: {@code count} people into {@code topic}. */
    static int producePeople(LabConfig lab, String topic, int count) {
        Faker faker = new Faker(Locale.forLanguageTag("ru"));
        List<String> people = Stream.generate(() -> PersonMessage.person(faker, Instant.now())).limit(count).toList();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(ProducerSettings.config(lab, "lesson08-people"))) {
            return SendWithCallback.sendAll(producer, topic, people);
        }
    }

    static void produceRaw(LabConfig lab, String topic, List<String> values) {
        Properties props = lab.kafkaProperties();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            values.forEach(v -> producer.send(new ProducerRecord<>(topic, "broken", v)));
            producer.flush();
        }
    }

    /** The course folder (where sql/ is): the nearest parent of the working directory with jbang-catalog.json. */
    static Path courseRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("jbang-catalog.json")) && Files.exists(p.resolve("sql"))) {
                return p;
            }
        }
        throw new LabException("Run this from the course folder (where sql/ and jbang-catalog.json are): ./jbang lesson08");
    }
}
