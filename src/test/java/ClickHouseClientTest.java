import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.query.GenericRecord;
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
        MusicEventsPipeline.start(ch, server.kafkaBrokerList(), topic, "none", null);
        long rows = ClickHouse.awaitAtLeast(() -> ch.count("SELECT count() FROM music_events"), 500, Duration.ofSeconds(120));
        MusicEventsPipeline.stop(ch);
        assertThat(rows).as("rows the server's Kafka engine read from %s via %s", topic, server.kafkaBrokerList()).isEqualTo(500);
    }

    private static void answersLikeClickHouse(ClickHouse ch) {
        assertThat(ch.scalar("SELECT toUInt64(18446744073709551615) AS big")).as("a UInt64 arrives intact, as text")
                .isEqualTo("18446744073709551615");
        assertThat(ch.query("SELECT toUInt64(18446744073709551615) AS big").get(0).getBigInteger("big")).as("a UInt64 as a BigInteger")
                .isEqualTo(new java.math.BigInteger("18446744073709551615"));
        assertThat(ch.query("SELECT toInt64(-9007199254740993) AS i").get(0).getLong("i")).as("beyond a double's 53 bits")
                .isEqualTo(-9007199254740993L);
        List<GenericRecord> rows = ch.query("SELECT number AS n, if(number = 1, NULL, 'Пауза трека') AS s, "
                + "toDateTime64('2026-11-24 10:00:00.123', 3, 'UTC') AS t, toUUID('0193b0a5-0000-7000-8000-000000000001') AS u "
                + "FROM numbers(3) ORDER BY n");
        assertThat(rows).as("rows in order").hasSize(3);
        assertThat(ClickHouse.text(rows.get(0)).keySet()).as("column order kept").containsExactly("n", "s", "t", "u");
        assertThat(rows.get(0).getString("s")).as("Russian text, UTF-8 both ways").isEqualTo("Пауза трека");
        assertThat(rows.get(0).getInstant("t")).as("a DateTime64(3, 'UTC')").isEqualTo(java.time.Instant.parse("2026-11-24T10:00:00.123Z"));
        assertThat(rows.get(0).getUUID("u")).as("a UUID").isEqualTo(java.util.UUID.fromString("0193b0a5-0000-7000-8000-000000000001"));
        assertThat(ClickHouse.text(rows.get(1)).get("s")).as("NULL").isNull();
        assertThat(ch.client().queryAll("SELECT getSetting('max_threads') AS m",
                new com.clickhouse.client.api.query.QuerySettings().serverSetting("max_threads", "1")).get(0).getLong("m"))
                .as("a server setting sent with one query applies to it").isEqualTo(1);
        assertThat(ch.query("SELECT getSetting('max_threads') AS m").get(0).getLong("m")).as("and not to the next one").isNotEqualTo(1);
        String table = "client_test_" + Long.toHexString(System.nanoTime());
        ch.execute("CREATE TABLE " + table + " (id UInt32, name String) ENGINE = MergeTree ORDER BY id");
        ch.execute("INSERT INTO " + table + " VALUES (1, 'a'), (2, 'b; c')");
        assertThat(ch.count("SELECT count() FROM " + table)).isEqualTo(2);
        ch.execute("DROP TABLE " + table);
        assertThatThrownBy(() -> ch.query("SELECT * FROM " + table))
                .isInstanceOfSatisfying(ServerException.class, e -> assertThat(e.getCode()).as("UNKNOWN_TABLE").isEqualTo(60))
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
    void everySqlFileOfLesson08DocumentsThePlaceholdersItUses() throws Exception {
        for (String name : List.of("08_1_original.sql", "08_2_kafka_errors.sql", "08_3_my_topic.sql", "08_4_music_events.sql",
                "08_5_start_consuming.sql")) {
            String text = Files.readString(Path.of("sql", name));
            String code = text.lines().filter(l -> !l.strip().startsWith("--")).collect(java.util.stream.Collectors.joining("\n"));
            java.util.regex.Matcher used = java.util.regex.Pattern.compile("\\{[a-z_]+}").matcher(code);
            while (used.find()) {
                assertThat(text).as("%s uses and explains %s", name, used.group()).contains("--   " + used.group());
            }
        }
        assertThat(Files.readString(Path.of("sql", "08_5_start_consuming.sql"))).as("the file that starts the stream")
                .contains("{group_starts}");
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
    void withoutNodeTheBridgeSaysExactlyWhatToInstall(@TempDir Path course) throws Exception {
        Files.createDirectories(ChdbBridge.home(course));
        Files.copy(ChdbBridge.home(Path.of("")).resolve("bridge.js"), ChdbBridge.home(course).resolve("bridge.js"));
        // a PATH without node: what a learner without Node.js has
        ProcessBuilder noNode = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"), "ChdbBridgeMissing", course.toString());
        noNode.environment().put("PATH", course.toString());
        Process p = noNode.redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("exit of a JVM asking ChdbBridge.missing with no node on the PATH: %s", said).isZero();
        assertThat(said).as("what a learner without Node.js is told").contains("Node.js is not on the PATH").contains("Node.js 18");
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
