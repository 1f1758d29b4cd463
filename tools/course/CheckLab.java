import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The lab the check JVM's tests use, found once and kept: what the environment names; else the lab of
 * {@code ./jbang lab up} when it answers on its ports (the tests use their own topics, groups and prefixes, so
 * nothing the learner sees there is disturbed); else an embedded lab started here on free ports and kept while the
 * check JVM lives. ClickHouse (the chDB bridge) is started only when a check first needs it.
 *
 * <p>The tests hear of it through Java system properties named like the environment variables
 * ({@code LabConfig.setting} reads those), set only while a check runs.
 */
final class CheckLab implements AutoCloseable {
    private final Path root;
    private final boolean embeddedOnly;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private String kafka;
    private String s3;
    private String clickhouse;
    private boolean labUp;
    private EmbeddedLab embedded;
    private ChdbBridge bridge;
    private String bridgeMissing;

    /** @param embeddedOnly true to ignore {@code lab up} on the default ports (COURSE_CHECK_LAB=embedded) */
    CheckLab(Path root, boolean embeddedOnly) {
        this.root = root;
        this.embeddedOnly = embeddedOnly;
    }

    /** Finds or starts the lab; {@code progress} hears what is happening. */
    synchronized void start(Consumer<String> progress) throws Exception {
        LabConfig env = LabConfig.fromEnvironment();
        boolean kafkaFromEnv = LabConfig.setting("KAFKA_BOOTSTRAP_SERVERS") != null || LabConfig.setting("KAFKA_CLIENT_PROPERTIES") != null;
        boolean s3FromEnv = LabConfig.setting("S3_ENDPOINT") != null;
        if (LabConfig.setting("CLICKHOUSE_URL") != null) {
            clickhouse = env.clickhouseUrl() + " (CLICKHOUSE_URL)";
        }
        if (kafkaFromEnv) {
            kafka = env.kafkaBootstrap() + " (KAFKA_BOOTSTRAP_SERVERS)";
        }
        if (s3FromEnv) {
            s3 = env.s3Endpoint() + " (S3_ENDPOINT)";
        }
        if (kafkaFromEnv && s3FromEnv) {
            return;
        }
        LabConfig defaults = LabConfig.localDefaults();
        if (!embeddedOnly && !kafkaFromEnv && !s3FromEnv && answers(defaults.kafkaFirstAddress()) && answers(address(defaults.s3Uri()))) {
            try {
                LabKafka.probe(defaults, Duration.ofSeconds(4));
                LabS3.probe(defaults);
                labUp = true;
                kafka = defaults.kafkaBootstrap() + " (./jbang lab up)";
                s3 = defaults.s3Endpoint() + " (./jbang lab up)";
                properties.put("KAFKA_BOOTSTRAP_SERVERS", defaults.kafkaBootstrap());
                properties.put("S3_ENDPOINT", defaults.s3Endpoint());
                if (clickhouse == null && answers(address(URI.create(defaults.clickhouseUrl())))) {
                    clickhouse = defaults.clickhouseUrl() + " (./jbang lab up)";
                    properties.put("CLICKHOUSE_URL", defaults.clickhouseUrl());
                }
                return;
            } catch (LabException notTheLab) {
                progress.accept("something answers on the lab's ports, but not the lab (" + notTheLab.getMessage().lines().findFirst().orElse("") + ")");
            }
        }
        progress.accept((embeddedOnly ? "COURSE_CHECK_LAB=embedded" : "no lab answers at " + defaults.kafkaBootstrap())
                + ": starting an embedded one for the checks (Kafka and S3 on free ports, kept while the check JVM lives) ...");
        startEmbedded(kafkaFromEnv, s3FromEnv);
    }

    private void startEmbedded(boolean kafkaFromEnv, boolean s3FromEnv) throws Exception {
        embedded = EmbeddedLab.start(EmbeddedLab.Options.throwaway());
        LabConfig lab = embedded.config();
        if (!kafkaFromEnv) {
            kafka = lab.kafkaBootstrap() + " (embedded, started in " + embedded.startMillis() + " ms)";
            properties.put("KAFKA_BOOTSTRAP_SERVERS", lab.kafkaBootstrap());
        }
        if (!s3FromEnv) {
            s3 = lab.s3Endpoint() + " (embedded)";
            properties.put("S3_ENDPOINT", lab.s3Endpoint());
            properties.put("S3_ACCESS_KEY", lab.s3AccessKey());
            properties.put("S3_SECRET_KEY", lab.s3SecretKey());
        }
    }

    /** When the lab of {@code lab up} was stopped since the last check, an embedded one takes over. */
    synchronized void ensureAlive(Consumer<String> progress) throws Exception {
        if (labUp && !answers(kafka.split(" ")[0])) {
            progress.accept("./jbang lab up no longer answers at " + kafka.split(" ")[0]
                    + ": starting an embedded lab for the checks ...");
            labUp = false;
            properties.clear();
            clickhouse = LabConfig.setting("CLICKHOUSE_URL") == null ? null : clickhouse;
            startEmbedded(false, false);
        }
    }

    /**
     * The system properties for one check. With {@code clickhouse}, a ClickHouse is found or started first (the chDB
     * bridge, when installed); without one, the tests that need it skip and say how to get it.
     */
    synchronized Map<String, String> properties(boolean needsClickHouse, Consumer<String> progress) {
        if (needsClickHouse && clickhouse == null && bridgeMissing == null) {
            bridgeMissing = ChdbBridge.missing(root);
            if (bridgeMissing == null) {
                progress.accept("starting ClickHouse for the checks (the chDB bridge, once) ...");
                bridge = ChdbBridge.start(root, 0, null, LabConfig.fromEnvironment(), line -> {
                    if (line.startsWith("Install")) { // it installs itself the first time: say so, it takes a while
                        progress.accept(line);
                    }
                    System.out.println("[chdb] " + line);
                });
                clickhouse = bridge.url() + " (chDB bridge, pid " + bridge.pid() + ")";
                properties.put("CLICKHOUSE_URL", bridge.url());
            }
        }
        return Map.copyOf(properties);
    }

    /** True when the checks use the lab of {@code ./jbang lab up}. */
    boolean usesLabUp() {
        return labUp;
    }

    /** One line per part: where Kafka, S3 and ClickHouse are, and where they came from. */
    synchronized String describe() {
        return "Kafka " + kafka + "; S3 " + s3 + "; ClickHouse " + (clickhouse != null ? clickhouse
                : bridgeMissing != null ? "none (" + bridgeMissing + ")" : "started when a check needs it");
    }

    static boolean answers(String hostPort) {
        return CourseDoctor.listening(hostPort);
    }

    private static String address(URI uri) {
        return uri.getHost() + ":" + (uri.getPort() > 0 ? uri.getPort() : 80);
    }

    @Override
    public synchronized void close() {
        if (bridge != null) {
            bridge.close();
        }
        if (embedded != null) {
            embedded.close();
        }
    }
}
