import org.junit.jupiter.api.Assumptions;
import org.testcontainers.clickhouse.ClickHouseContainer;
import org.testcontainers.containers.Network;

/**
 * The ClickHouse the tests share, one per test JVM, found in this order:
 * <ol>
 *   <li>{@code CLICKHOUSE_URL} from the environment: a server ({@code CLICKHOUSE_KAFKA_BROKER_LIST} says how it
 *       reaches Kafka, default {@code kafka:19092} as in docker compose), or the bridge of {@code ./jbang lab up};</li>
 *   <li>Testcontainers' ClickHouse (image from docker-compose.yml) when the test lab's Kafka and S3 are both
 *       containers, on their network;</li>
 *   <li>the chDB bridge (tools/chdb) on a free port: ClickHouse's engine in a Node process, no Docker.</li>
 * </ol>
 * The bridge installs itself from its lock file when Node.js 18+ is on the PATH (ChdbBridge.ensureInstalled), so
 * {@code ./mvnw -B verify} on a clean clone runs these tests with nothing else typed. Without Node.js (or with no
 * ClickHouse at all) the tests that need ClickHouse are skipped (JUnit assumption), naming exactly what to install.
 * A ClickHouse server is never paired with a Kafka or S3 it cannot reach ({@link TestLab.Plan#serverMismatch}): the
 * tests skip, naming the variables to set.
 */
final class TestClickHouse {
    /** A ClickHouse and the Kafka address it must use in the SQL files ({@code {kafka_broker_list}}). */
    record Found(ClickHouse clickhouse, String kafkaBrokerList, String kind) {}

    private static Found found;
    private static String skipReason;
    private static Found server;
    /** The address of the bridge this JVM started (null when the tests use another ClickHouse). */
    private static String bridgeUrl;
    private static String serverSkipReason;

    private TestClickHouse() {}

    /** The chDB bridge this JVM started, for tests of the bridge itself; skips when the tests use another ClickHouse. */
    static synchronized String bridgeUrl() {
        get();
        Assumptions.assumeTrue(bridgeUrl != null, "the tests use " + found.kind() + ", not a chDB bridge of their own");
        return bridgeUrl;
    }

    /** True when there is a ClickHouse for the tests (else {@link #get()} skips, saying why). */
    static synchronized boolean available() {
        try {
            get();
            return true;
        } catch (org.opentest4j.TestAbortedException e) {
            return false;
        }
    }

    /** The shared ClickHouse; skips the calling test when there is none (saying how to get one). */
    static synchronized Found get() {
        if (found == null && skipReason == null) {
            LabConfig lab = TestLab.config();
            String url = LabConfig.setting("CLICKHOUSE_URL");
            if (url != null && !url.isBlank()) {
                ClickHouse ch = ClickHouse.connect(atEnvironment(lab, url));
                String mismatch = ch.isChdb() ? null : TestLab.plan().serverMismatch(url.trim());
                if (mismatch != null) {
                    skipReason = mismatch;
                } else {
                    found = new Found(ch, ClickHouse.kafkaBrokerListFor(ch, lab), "CLICKHOUSE_URL");
                }
            } else if (TestLab.network() != null) {
                found = server();
            } else {
                String missing = ChdbBridge.missing(EmbeddedLab.courseRoot());
                if (missing != null) {
                    skipReason = "No ClickHouse for this test: no CLICKHOUSE_URL, " + TestLab.plan().whyNoClickHouseContainer()
                            + ", and " + missing + ".";
                } else {
                    ChdbBridge bridge = ChdbBridge.start(EmbeddedLab.courseRoot(), 0, null, lab, line -> System.out.println("[chdb] " + line));
                    Runtime.getRuntime().addShutdownHook(new Thread(bridge::close, "chdb-bridge-stop"));
                    bridgeUrl = bridge.url();
                    ClickHouse ch = ClickHouse.connect(lab.withClickhouse(bridge.url(), "test chDB bridge"));
                    found = new Found(ch, lab.kafkaBootstrap(), "chDB bridge, pid " + bridge.pid());
                }
            }
            if (found != null) {
                System.out.println("[test clickhouse] " + found.kind() + ": " + found.clickhouse().describe());
            }
        }
        Assumptions.assumeTrue(found != null, () -> skipReason);
        return found;
    }

    /**
     * A ClickHouse server (not chDB): CLICKHOUSE_URL, or a Testcontainers ClickHouse when Docker answers; skips the
     * calling test with a clear message otherwise.
     */
    static synchronized Found server() {
        if (server == null && serverSkipReason == null) {
            String url = LabConfig.setting("CLICKHOUSE_URL");
            ClickHouse atUrl = url == null || url.isBlank() ? null : ClickHouse.connect(atEnvironment(TestLab.config(), url));
            String mismatch = atUrl == null || atUrl.isChdb() ? null : TestLab.plan().serverMismatch(url.trim());
            if (mismatch != null) {
                serverSkipReason = mismatch;
            } else if (atUrl != null && !atUrl.isChdb()) {
                server = new Found(atUrl, ClickHouse.kafkaBrokerListFor(atUrl, TestLab.config()), "CLICKHOUSE_URL");
            } else if (TestLab.network() != null) {
                server = startContainer();
            } else {
                serverSkipReason = "The ClickHouse server path needs a server: set CLICKHOUSE_URL (e.g. docker compose up -d, then "
                        + "CLICKHOUSE_URL=http://127.0.0.1:8123 with KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 S3_ENDPOINT=http://127.0.0.1:9000) or run where a Docker "
                        + "engine answers (Testcontainers). Skipped here: " + TestLab.plan().whyNoClickHouseContainer() + ", and "
                        + (atUrl == null ? "no CLICKHOUSE_URL." : "CLICKHOUSE_URL (" + url + ") is the chDB bridge, not a server.");
            }
        }
        Assumptions.assumeTrue(server != null, () -> serverSkipReason);
        return server;
    }

    /** The lab with CLICKHOUSE_URL and the environment's ClickHouse login (CLICKHOUSE_USER / CLICKHOUSE_PASSWORD). */
    private static LabConfig atEnvironment(LabConfig lab, String url) {
        LabConfig env = LabConfig.fromEnvironment();
        return lab.withClickhouse(url.trim(), env.clickhouseUser(), env.clickhousePassword(), "environment");
    }

    /**
     * ClickHouse as docker compose runs it (image from docker-compose.yml), on the network of the lab's Kafka and
     * MinIO, with the lab's login (the environment's, else the local defaults).
     */
    static ClickHouseContainer container(Network network) {
        LabConfig login = LabConfig.fromEnvironment();
        return new ClickHouseContainer(TestLab.image("clickhouse")).withNetwork(network)
                .withUsername(login.clickhouseUser())
                .withPassword(login.clickhousePassword());
    }

    @SuppressWarnings("resource") // stopped by Testcontainers' reaper when the JVM exits
    private static Found startContainer() {
        try {
            LabConfig lab = TestLab.config();
            ClickHouseContainer container = container(TestLab.network());
            container.start();
            ClickHouse ch = ClickHouse.connect(lab.withClickhouse("http://" + container.getHost() + ":" + container.getMappedPort(8123),
                    "testcontainers"));
            return new Found(ch, "kafka:19092", "testcontainers");
        } catch (Exception e) {
            throw new IllegalStateException("Could not start ClickHouse in Testcontainers: " + e.getMessage(), e);
        }
    }
}
