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
 * When none of them can run, tests that need ClickHouse are skipped (JUnit assumption), with a message saying
 * what is missing and how to install it. CI installs the bridge (.ci/run), so there they run. A ClickHouse server
 * is never paired with a Kafka or S3 it cannot reach ({@link TestLab.Plan#serverMismatch}): the tests skip, naming
 * the variables to set.
 */
final class TestClickHouse {
    /** A ClickHouse and the Kafka address it must use in the SQL files ({@code {kafka_broker_list}}). */
    record Found(ClickHouse clickhouse, String kafkaBrokerList, String kind) {}

    private static Found found;
    private static String skipReason;
    private static Found server;
    private static String serverSkipReason;

    private TestClickHouse() {}

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
                ClickHouseHttp ch = ClickHouseHttp.connect(url.trim());
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
                    ChdbBridge bridge = ChdbBridge.start(EmbeddedLab.courseRoot(), 0, null, line -> System.out.println("[chdb] " + line));
                    Runtime.getRuntime().addShutdownHook(new Thread(bridge::close, "chdb-bridge-stop"));
                    ClickHouse ch = ClickHouseHttp.connect(bridge.url());
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
            ClickHouseHttp atUrl = url == null || url.isBlank() ? null : ClickHouseHttp.connect(url.trim());
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

    /** ClickHouse as docker compose runs it (image from docker-compose.yml), on the network of the lab's Kafka and MinIO. */
    static ClickHouseContainer container(Network network) {
        return new ClickHouseContainer(TestLab.image("clickhouse")).withNetwork(network);
    }

    @SuppressWarnings("resource") // stopped by Testcontainers' reaper when the JVM exits
    private static Found startContainer() {
        try {
            ClickHouseContainer container = container(TestLab.network());
            container.start();
            ClickHouseHttp ch = ClickHouseHttp.connect("http://" + container.getHost() + ":" + container.getMappedPort(8123),
                    container.getUsername(), container.getPassword());
            return new Found(ch, "kafka:19092", "testcontainers");
        } catch (Exception e) {
            throw new IllegalStateException("Could not start ClickHouse in Testcontainers: " + e.getMessage(), e);
        }
    }
}
