import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab's ClickHouse client: the chDB bridge answers like a ClickHouse server (rows, NULLs, 64-bit integers, error
 * codes), a server answers the same way and runs lesson 08's pipeline, and missing pieces are named clearly.
 */
class ClickHouseClientTest {

    @Test
    void theChdbBridgeAnswersLikeClickHouse() {
        TestClickHouse.Found found = TestClickHouse.get();
        org.junit.jupiter.api.Assumptions.assumeTrue(found.clickhouse().isChdb(),
                "the shared ClickHouse is a server here (" + found.kind() + "), not the chDB bridge");
        answersLikeClickHouse(found.clickhouse());
    }

    @Test
    void aClickHouseServerAnswersTheSameWay() {
        TestClickHouse.Found server = TestClickHouse.server(); // skipped, with the reason, without CLICKHOUSE_URL or Docker
        assertThat(server.clickhouse().isChdb()).as("a server, not the bridge").isFalse();
        answersLikeClickHouse(server.clickhouse());
    }

    @Test
    void aClickHouseServerRunsLesson08sPipeline() {
        TestClickHouse.Found server = TestClickHouse.server();
        LabConfig lab = TestLab.config();
        String topic = TestLab.unique("music_events");
        LabKafka.ensureTopic(lab, topic, 3);
        ClickstreamLike.produce(lab, topic, 500);
        ClickHouse ch = server.clickhouse();
        Map<String, String> params = Map.of("kafka_broker_list", server.kafkaBrokerList(), "music_events", topic);
        ch.runFile(Path.of("sql/08_2_kafka_errors.sql"), params);
        ch.runFile(Path.of("sql/08_4_music_events.sql"), params);
        ch.runFile(Path.of("solutions/08_clickhouse/music_events_mv.sql"), params);
        long rows = ClickHouse.awaitAtLeast(() -> ch.count("SELECT count() FROM music_events"), 500, Duration.ofSeconds(120));
        assertThat(rows).as("rows the server's Kafka engine read from %s via %s", topic, server.kafkaBrokerList()).isEqualTo(500);
    }

    private static void answersLikeClickHouse(ClickHouse ch) {
        assertThat(ch.scalar("SELECT toUInt64(18446744073709551615) AS big")).as("a UInt64 arrives intact, as text")
                .isEqualTo("18446744073709551615");
        assertThat(ch.scalar("SELECT toInt64(-9007199254740993)")).as("beyond a double's 53 bits").isEqualTo("-9007199254740993");
        List<Map<String, String>> rows = ch.query("SELECT number AS n, if(number = 1, NULL, 'Пауза трека') AS s, "
                + "toDateTime64('2026-11-24 10:00:00.123', 3, 'UTC') AS t FROM numbers(3) ORDER BY n");
        assertThat(rows).as("rows in order, column order kept").hasSize(3);
        assertThat(rows.get(0).keySet()).containsExactly("n", "s", "t");
        assertThat(rows.get(0)).containsEntry("s", "Пауза трека").containsEntry("t", "2026-11-24 10:00:00.123");
        assertThat(rows.get(1).get("s")).as("NULL").isNull();
        String table = "client_test_" + Long.toHexString(System.nanoTime());
        ch.execute("CREATE TABLE " + table + " (id UInt32, name String) ENGINE = MergeTree ORDER BY id");
        ch.execute("INSERT INTO " + table + " VALUES (1, 'a'), (2, 'b; c')");
        assertThat(ch.count("SELECT count() FROM " + table)).isEqualTo(2);
        ch.execute("DROP TABLE " + table);
        assertThatThrownBy(() -> ch.query("SELECT * FROM " + table))
                .isInstanceOfSatisfying(ClickHouse.QueryError.class, e -> assertThat(e.code()).as("UNKNOWN_TABLE").isEqualTo(60))
                .hasMessageContaining("Code: 60").hasMessageContaining(table);
    }

    @Test
    void sqlFilesSplitIntoStatementsAtSemicolonsAtLineEndsAndPlaceholdersAreFilled() {
        String text = """
                -- a comment; not a statement;
                CREATE TABLE t (s String) ENGINE = Kafka SETTINGS
                    kafka_broker_list = '{kafka_broker_list}', kafka_topic_list = '{music_events}';
                INSERT INTO x VALUES ('a;b');

                SELECT 1""";
        List<String> statements = ClickHouse.statements(ClickHouse.substitute(text,
                Map.of("kafka_broker_list", "kafka:19092", "music_events", "music_events")));
        assertThat(statements).containsExactly(
                "CREATE TABLE t (s String) ENGINE = Kafka SETTINGS\n    kafka_broker_list = 'kafka:19092', kafka_topic_list = 'music_events'",
                "INSERT INTO x VALUES ('a;b')",
                "SELECT 1");
    }

    @Test
    void everySqlFileOfLesson08DocumentsItsPlaceholders() throws Exception {
        for (String name : List.of("08_1_original.sql", "08_3_my_topic.sql", "08_4_music_events.sql")) {
            String text = Files.readString(Path.of("sql", name));
            for (String placeholder : List.of("{kafka_broker_list}")) {
                assertThat(text).as("%s uses and explains %s", name, placeholder).contains("--   " + placeholder);
            }
        }
    }

    @Test
    void noClickHouseAtTheAddressSaysHowToStartOne() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        LabConfig nowhere = TestLab.config().withClickhouse("http://127.0.0.1:" + port, "test");
        assertThatThrownBy(() -> ClickHouse.connect(nowhere))
                .isInstanceOf(LabException.class)
                .hasMessageContaining("http://127.0.0.1:" + port)
                .hasMessageContaining("./jbang lab up")
                .hasMessageContaining("npm ci --prefix tools/chdb");
    }

    @Test
    void aBridgeThatIsNotInstalledIsNamedWithTheCommandThatInstallsIt(@TempDir Path course) throws Exception {
        Files.createDirectories(ChdbBridge.home(course));
        Files.copy(ChdbBridge.home(Path.of("")).resolve("bridge.js"), ChdbBridge.home(course).resolve("bridge.js"));
        String missing = ChdbBridge.missing(course);
        assertThat(missing).as("what is missing").isNotNull().contains("npm ci --prefix tools/chdb");
        assertThatThrownBy(() -> ChdbBridge.start(course, 0, null, line -> { }))
                .isInstanceOf(LabException.class).hasMessageContaining("npm ci --prefix tools/chdb");
    }

    /** A few hundred events of the generator, keyed by user (independent of lesson 04's exercise). */
    static final class ClickstreamLike {
        static void produce(LabConfig lab, String topic, int count) {
            Clickstream stream = new Clickstream(count);
            List<byte[]> values = new java.util.ArrayList<>();
            for (int i = 0; i < count; i++) {
                values.add(stream.next().toBytes());
            }
            TestTopics.produceRaw(lab, topic, values);
        }
    }
}
