///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES ../lab/clickhouse/ClickHouse.java ../lab/clickhouse/KafkaTableStart.java ../lab/events/Clickstream.java ../lab/LabConfig.java ../lab/LabException.java ../lab/kafka/LabKafka.java ../lab/teaching/Lesson.java ../lab/events/MusicEvent.java
//COMPILE_OPTIONS -encoding UTF-8
//SOURCES ../lab/lake/ParquetSink.java
//SOURCES ../solutions/06_s3_sink/1_flush_trigger/FlushTrigger.java ../solutions/06_s3_sink/2_hive_path/HivePath.java ../solutions/06_s3_sink/3_object_name/ObjectName.java ../solutions/06_s3_sink/4_flush_order/FlushOrder.java ../solutions/06_s3_sink/5_dead_letter/DeadLetter.java
//MAIN ParquetLakeLesson
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=error
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.producer.internals.Sender=error

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.query.GenericRecord;
import com.clickhouse.client.api.query.Records;

/**
 * Lesson 09 — ClickHouse reads the Parquet lake. The same events go down two roads: lesson 06's sink writes them as
 * Parquet into S3, lesson 08's Kafka engine reads them into a MergeTree table. ClickHouse's s3() table function reads
 * the lake where it lies, hive partitioning turns the key=value folders into columns, the two roads are reconciled,
 * and the questions a product team asks are answered from the lake (sql/09_*.sql).
 *
 * Self-contained: it produces its own events (on a simulated clock spanning about four hours) to a topic of its own,
 * runs the sink, and makes lesson 08's tables for that topic.
 *
 *   ./jbang lesson09 [--count 20000] [--seed 9] [--code solutions|exercises]
 *
 * --code exercises runs your files of exercises/09_parquet_lake/ (lake filter, top tracks and hours, skip rate).
 *
 * Needs the lab with ClickHouse: `./jbang lab up` (the chDB bridge; `npm ci --prefix tools/chdb` once) or
 * `docker compose up -d`. CLICKHOUSE_URL says where ClickHouse is; CLICKHOUSE_S3_ENDPOINT how it reaches S3
 * (default: the lab's S3 for the chDB bridge, http://minio:9000 for a server).
 */
class ParquetLakeLesson {
    /** The generator's simulated clock steps 1-100 ms per event; stretched 15x, 20,000 events span about four hours. */
    static final long STRETCH = 15;

    public static void main(String[] args) {
        Map<String, String> opt = Lesson.options(args);
        Lesson.title("09");
        try {
            LabConfig lab = Lesson.lab();
            try (ClickHouse ch = ClickHouse.connect(lab)) {
                run(lab, ch, Integer.parseInt(opt.getOrDefault("--count", "20000")), Long.parseLong(opt.getOrDefault("--seed", "9")),
                        opt.getOrDefault("--code", "solutions"));
            }
            Lesson.finished("09");
        } catch (LabException | ServerException e) {
            System.err.println("\n" + e.getMessage());
            System.exit(2);
        } catch (Exception e) {
            System.err.println("\n" + e);
            System.exit(1);
        }
    }

    static void run(LabConfig lab, ClickHouse ch, int count, long seed, String code) throws Exception {
        Path root = courseRoot();
        Path exercises = root.resolve(code).resolve("09_parquet_lake");
        for (String file : List.of("1_lake_filter/lake_filter.sql", "2_top_tracks/top_tracks.sql", "2_top_tracks/events_per_hour.sql",
                "3_skip_rate/skip_rate.sql")) {
            if (Files.readString(exercises.resolve(file)).contains("TODO 09.")) {
                throw new LabException(exercises.resolve(file) + " still has its TODO: do it first (or run with --code solutions).");
            }
        }
        String run = "lesson09_" + Instant.now().getEpochSecond();
        String topic = lab.topic(run);
        String s3Url = ClickHouse.s3EndpointFor(ch, lab);
        Map<String, String> params = new HashMap<>(Map.of("kafka_broker_list", ClickHouse.kafkaBrokerListFor(ch, lab), "music_events", topic,
                "s3_url", s3Url, "s3_bucket", lab.bucket(), "s3_access_key", lab.s3AccessKey(), "s3_secret_key", lab.s3SecretKey()));
        params.put("event_date", "2026-11-24");

        Lesson.step(1, "Where ClickHouse is, and how it reaches S3");
        LabKafka.probe(lab, Duration.ofSeconds(5));
        Lesson.saw("ClickHouse " + ch.describe() + (lab.hasLearner() ? "; your tables are in database " + lab.clickhouseDatabase() : ""));
        Lesson.saw("S3 for our programs: " + lab.s3Endpoint() + "   for ClickHouse's s3(): " + s3Url);
        Lesson.say("Like {kafka_broker_list} in lesson 08, sql/09_*.sql say {s3_url}, {s3_bucket}, {s3_access_key}, {s3_secret_key}:");
        Lesson.say(ch.isChdb() ? "the chDB bridge runs on this machine, so it reaches S3 at our address."
                : "a server in docker compose reaches MinIO as http://minio:9000 (CLICKHOUSE_S3_ENDPOINT overrides it).");

        Lesson.step(2, "Events for a few hours, into a topic of this run: " + topic);
        LabKafka.ensureTopic(lab, topic, 3);
        Instant start = Instant.parse("2026-11-24T22:10:00Z");
        int sent = produce(lab, topic, new Clickstream(seed, 5_000, 1_000, start.toEpochMilli()), start.toEpochMilli(), count);
        Lesson.saw(String.format("%,d events from %s on, about four hours of them, across midnight UTC", sent, start));

        Lesson.step(3, "Road one: lesson 06's sink writes them as Parquet into s3://" + lab.bucket() + "/" + topic + "/");
        ParquetSinkEngine.Stats stats = ParquetSink.create(lab, ParquetSinkEngine.Options.defaults(topic, lab.group(ParquetSink.DEFAULT_GROUP + "-" + run))
                .batchSize(5_000).flushInterval(Duration.ofSeconds(10)).stopWhenIdle(Duration.ofSeconds(2))
                .progressEvery(Duration.ofMinutes(1)).log(line -> { })).run();
        Lesson.saw(String.format("%,d rows in %,d files", stats.rows.get(), stats.files.get()));

        Lesson.step(4, "Road two: lesson 08's Kafka engine reads the same topic into music_events");
        ch.runFile(root.resolve("sql/08_2_kafka_errors.sql"), params);
        ch.runFile(root.resolve("sql/08_4_music_events.sql"), params); // stops a previous run's consumer, then makes the table
        for (String file : List.of("1_kafka_table/music_events_queue.sql", "2_typed_view/music_events_mv.sql", "3_errors_view/kafka_errors_mv.sql")) {
            ch.runFile(root.resolve("solutions/08_clickhouse_kafka_engine").resolve(file), params); // lesson 08's, solved
        }
        params.put("group_starts", KafkaTableStart.sqlValues(KafkaTableStart.of(lab, "clickhouse_" + topic, topic)));
        ch.runFile(root.resolve("sql/08_5_start_consuming.sql"), params); // the Kafka table's one view: consuming starts
        long rows = ClickHouse.awaitAtLeast(() -> ch.count("SELECT count() FROM music_events"), sent, Duration.ofSeconds(180));
        Lesson.saw(String.format("%,d rows in music_events (group clickhouse_%s)", rows, topic));

        Lesson.step(5, "s3() over the lake, with hive partitioning (sql/09_1_lake.sql)");
        ch.runFile(root.resolve("sql/09_1_lake.sql"), params);
        Lesson.saw("CREATE OR REPLACE VIEW music_events_lake AS SELECT * FROM s3('" + s3Url + "/" + lab.bucket() + "/" + topic
                + "/**/*.parquet', ..., 'Parquet')");
        for (GenericRecord c : ch.query("SELECT name, type FROM system.columns WHERE database = currentDatabase() "
                + "AND table = 'music_events_lake' AND name IN ('event_date', 'event_type', 'event_time', 'uuid_track', 'kafka_offset')")) {
            Lesson.saw(String.format("%-14s %s", c.getString("name"), c.getString("type")));
        }
        Lesson.say("The files have no event_date column: it comes from the folders, event_date=2026-11-24/, a Date.");
        Lesson.say("event_type is in the files AND in the folders (event_type=track_playback/). What does ClickHouse do?");

        Lesson.step(6, "A folder name and a column with the same name: who wins?");
        String demo = s3Url + "/" + lab.bucket() + "/" + topic + "_hive_demo/event_type=from_path/demo.parquet";
        String keys = "'" + lab.s3AccessKey() + "', '" + lab.s3SecretKey() + "'";
        ch.execute("INSERT INTO FUNCTION s3('" + demo + "', " + keys + ", 'Parquet') SELECT 'from_file' AS event_type, 1 AS x "
                + "SETTINGS s3_truncate_on_insert = 1");
        String read = "SELECT event_type FROM s3('" + demo.replace("demo.parquet", "*.parquet") + "', " + keys + ", 'Parquet')";
        Lesson.saw("a file with a row event_type = 'from_file', under .../event_type=from_path/");
        Lesson.saw("use_hive_partitioning = 1 (the default): event_type = " + ch.scalar(read));
        Lesson.saw("use_hive_partitioning = 0:               event_type = " + ch.scalar(read + " SETTINGS use_hive_partitioning = 0"));
        Lesson.say("The PATH wins, silently (the column keeps the file's type). Safe only while folders and rows agree:");
        Lesson.say("the sink names each object after its rows, and sql/09_2_partition_check.sql checks it.");
        GenericRecord check = ch.queryFile(root.resolve("sql/09_2_partition_check.sql"), params).get(0);
        Lesson.saw(String.format("%s rows in %s files; rows whose folder disagrees: event_type %s, event_date %s",
                check.getString("rows"), check.getString("files"), check.getString("type_differs"), check.getString("date_differs")));
        Lesson.say("Filtering on a partition column (WHERE event_date = ... AND event_type = ...) skips the other folders' files");
        Lesson.say("(exercise 09.1, " + code + "/09_parquet_lake/1_lake_filter/lake_filter.sql): likes and unlikes of one day:");
        // client.queryRecords streams the rows and says what answering them cost (read rows, bytes, server time)
        try (Records likes = ch.client().queryRecords(ClickHouse.statement(exercises.resolve("1_lake_filter/lake_filter.sql"), params))
                .get(2, TimeUnit.MINUTES)) {
            for (GenericRecord r : likes) {
                Lesson.saw(String.format("%-14s %s events from %s file(s)", r.getString("event_type"), r.getString("events"), r.getString("files")));
            }
            Lesson.saw(String.format("ClickHouse read %,d rows to answer, of %,d in the lake", likes.getReadRows(), stats.rows.get()));
        }

        Lesson.step(7, "Two roads, one count (sql/09_3_counts.sql)");
        int differ = 0;
        for (GenericRecord r : ch.queryFile(root.resolve("sql/09_3_counts.sql"), params)) {
            boolean same = r.getLong("in_lake") == r.getLong("in_kafka_engine");
            differ += same ? 0 : 1;
            Lesson.saw(String.format("%-26s lake %,7d   kafka engine %,7d%s", r.getString("event_type"), r.getLong("in_lake"),
                    r.getLong("in_kafka_engine"), same ? "" : "   <- differ"));
        }
        Lesson.say(differ == 0 ? String.format("Equal type by type: neither road lost or doubled an event (%,d produced).", sent)
                : differ + " type(s) differ: one road lost or doubled events - look at the dead letters and kafka_errors.");

        Lesson.step(8, "Top tracks by plays (exercise 09.2: " + code + "/09_parquet_lake/2_top_tracks/top_tracks.sql)");
        ch.queryFile(exercises.resolve("2_top_tracks/top_tracks.sql"), params).stream().limit(5)
                .forEach(r -> Lesson.saw(r.getString("track") + "  " + r.getString("plays") + " plays"));
        Lesson.say("A few hits and a long tail: the generator's catalogue is skewed like a real one.");

        Lesson.step(9, "Events per type per hour, by event time in UTC (exercise 09.2: events_per_hour.sql)");
        Map<String, Map<String, String>> perHour = new java.util.TreeMap<>();
        for (GenericRecord r : ch.queryFile(exercises.resolve("2_top_tracks/events_per_hour.sql"), params)) {
            perHour.computeIfAbsent(r.getString("hour"), h -> new java.util.LinkedHashMap<>()).put(r.getString("event_type"), r.getString("events"));
        }
        perHour.forEach((hour, types) -> Lesson.saw(hour + "  playback " + types.getOrDefault("track_playback", "0")
                + ", pause " + types.getOrDefault("pause_track", "0") + ", skip next " + types.getOrDefault("skipping_track_next", "0")
                + ", like " + types.getOrDefault("track_like", "0") + " ..."));
        Lesson.say("The hours come from each event's own time: a late event counts in its hour, not when it was written.");

        Lesson.step(10, "Listeners per country (sql/09_6_listeners_per_country.sql)");
        ch.queryFile(root.resolve("sql/09_6_listeners_per_country.sql"), params).stream().limit(5)
                .forEach(r -> Lesson.saw(String.format("%-14s %s listeners", r.getString("country"), r.getString("listeners"))));

        Lesson.step(11, "Skip rate per track (exercise 09.3: " + code + "/09_parquet_lake/3_skip_rate/skip_rate.sql)");
        ch.queryFile(exercises.resolve("3_skip_rate/skip_rate.sql"), params).stream().limit(5).forEach(r -> Lesson.saw(String.format(
                "%s  %s skips / %s plays = %s", r.getString("track"), r.getString("skips"), r.getString("plays"), r.getString("skip_rate"))));
        Lesson.say("skips of a track = skip events whose uuid_track_prev is that track (the one skipped away from);");
        Lesson.say("plays = its track_playback events; only tracks with at least 20 plays. A rate above 1 is possible here:");
        Lesson.say("the generator draws skips independently of plays (in a real service a skip follows a play).");
        Lesson.say("Your exercises: exercises/09_parquet_lake/ (the lake filter, top tracks and hours, the skip rate). Check them:");
        Lesson.say("  ./jbang course verify 09.1      (09.2, 09.3)");
        Lesson.say("  ./jbang lesson09 --code exercises");
    }

    /** Sends count events, their times stretched away from start (the generator's simulated clock is fast). */
    static int produce(LabConfig lab, String topic, Clickstream stream, long start, int count) {
        Properties props = lab.kafkaProperties();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        java.util.concurrent.atomic.AtomicReference<Exception> failed = new java.util.concurrent.atomic.AtomicReference<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < count; i++) {
                MusicEvent e = stream.next();
                MusicEvent s = new MusicEvent(e.type(), e.userId(), e.platformToken(), e.ipv4(), e.country(), e.uuidTrack(),
                        e.uuidTrackPrev(), e.uuidTrackCurrent(), e.uuidPlaylist(), e.uuidTrackLikeStatus(), start + (e.tsMs() - start) * STRETCH);
                producer.send(new ProducerRecord<>(topic, s.userId(), s.toJson()), (m, error) -> {
                    if (error != null) {
                        failed.compareAndSet(null, error);
                    }
                });
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw new LabException("Could not send the events to " + topic + ": " + failed.get().getMessage(), failed.get());
        }
        return count;
    }

    /** The course folder (where sql/ is): the nearest parent of the working directory with jbang-catalog.json. */
    static Path courseRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("jbang-catalog.json")) && Files.exists(p.resolve("sql"))) {
                return p;
            }
        }
        throw new LabException("Run this from the course folder (where sql/ and jbang-catalog.json are): ./jbang lesson09");
    }
}
