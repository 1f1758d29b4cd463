import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Lesson 08's music_events road, for one test: sql/08_2 and sql/08_4, then the three exercises of lesson 08 in order
 * (the Kafka table, the typed view, the errors view) for a topic of the test's own, then sql/08_5, which records where
 * the group starts and starts the stream. The exercise under check comes from {@link TestCourse#file}, the others
 * solved ({@link TestCourse#solution}), so a half-done exercise stops only its own test.
 */
final class MusicEventsPipeline {
    static final List<String[]> EXERCISES = List.of(
            new String[] {"08.1", "music_events_queue.sql"},
            new String[] {"08.2", "music_events_mv.sql"},
            new String[] {"08.3", "kafka_errors_mv.sql"});

    private MusicEventsPipeline() {}

    /** The SQL file of an exercise as the build under test has it; stops at its TODO while the marker is there. */
    static Path exercise(String id, String name, int step, String what) {
        Path file = TestCourse.file(id, name);
        try {
            if (Files.readString(file).contains("TODO " + id + "." + step)) {
                Todo.todo(id, step, what + " in " + file + ", then delete the TODO line");
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return file;
    }

    /** Makes the tables and views for {@code topic}; {@code mine} is the exercise id whose file comes from the build under test. */
    static void start(ClickHouse ch, String brokers, String topic, String mine, Path mineFile) {
        Map<String, String> params = Map.of("kafka_broker_list", brokers, "music_events", topic);
        ch.runFile(Path.of("sql/08_2_kafka_errors.sql"), params);
        ch.runFile(Path.of("sql/08_4_music_events.sql"), params);
        for (String[] e : EXERCISES) {
            ch.runFile(e[0].equals(mine) ? mineFile : TestCourse.solution(e[0], e[1]), params);
        }
        String starts = KafkaTableStart.sqlValues(KafkaTableStart.of(TestLab.config(), "clickhouse_" + topic, topic));
        ch.runFile(Path.of("sql/08_5_start_consuming.sql"), Map.of("group_starts", starts));
    }

    /** Drops the Kafka table and its views, so nothing consumes in the background after the test. */
    static void stop(ClickHouse ch) {
        for (String t : List.of("music_events_gaps_mv", "music_events_queue_mv", "music_events_mv", "music_events_errors_mv",
                "music_events_queue")) {
            ch.execute("DROP TABLE IF EXISTS " + t);
        }
    }

    /** Rows for the topic in music_events plus kafka_errors: a verdict per offset, once both are there. */
    static long verdicts(ClickHouse ch, String topic) {
        return ch.count("SELECT (SELECT count() FROM music_events WHERE kafka_topic = '" + topic + "') + "
                + "(SELECT count() FROM kafka_errors WHERE kafka_topic = '" + topic + "')");
    }

    /** Waits until there are {@code expected} verdict rows for the topic (or the timeout) and returns how many there are. */
    static long awaitVerdicts(ClickHouse ch, String topic, long expected, Duration timeout) {
        return ClickHouse.awaitAtLeast(() -> verdicts(ch, topic), expected, timeout);
    }
}
