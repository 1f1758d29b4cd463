//COMPILE_OPTIONS -encoding UTF-8
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * Where the course's infrastructure lives: Kafka, S3 and ClickHouse endpoints.
 *
 * <p>Every lesson, exercise and test asks this one place. The environment wins; anything it does not
 * set falls back to the local lab's defaults, which are the same for {@code docker compose up -d}
 * and for {@code ./jbang lab up} (the embedded lab), so lessons run unchanged against either.
 *
 * <pre>
 * KAFKA_BOOTSTRAP_SERVERS   default 127.0.0.1:9092
 * KAFKA_CLIENT_PROPERTIES   optional path to a Kafka client .properties file (SASL/SSL for a shared cluster)
 * S3_ENDPOINT               default http://127.0.0.1:9000
 * S3_ACCESS_KEY             default minioadmin   (local lab only)
 * S3_SECRET_KEY             default minioadmin   (local lab only)
 * S3_BUCKET                 default clickstream
 * CLICKHOUSE_URL            default http://127.0.0.1:8123
 * CLICKHOUSE_USER           default default      (local lab only)
 * CLICKHOUSE_PASSWORD       default clickhouse   (local lab only; the chDB bridge and docker compose's server)
 * </pre>
 * No secret is printed: {@link #toString()} and {@link #describe()} leave the S3 secret and the ClickHouse password out.
 */
public record LabConfig(
        String kafkaBootstrap,
        Map<String, String> kafkaClientSettings,
        String s3Endpoint,
        String s3AccessKey,
        String s3SecretKey,
        String bucket,
        String clickhouseUrl,
        String clickhouseUser,
        String clickhousePassword,
        String origin) {

    public static final String DEFAULT_KAFKA_BOOTSTRAP = "127.0.0.1:9092";
    public static final String DEFAULT_S3_ENDPOINT = "http://127.0.0.1:9000";
    public static final String DEFAULT_S3_ACCESS_KEY = "minioadmin";
    public static final String DEFAULT_S3_SECRET_KEY = "minioadmin";
    public static final String DEFAULT_BUCKET = "clickstream";
    public static final String DEFAULT_CLICKHOUSE_URL = "http://127.0.0.1:8123";
    /** The local lab's ClickHouse login, like S3's minioadmin: the chDB bridge and docker compose's server use it. */
    public static final String DEFAULT_CLICKHOUSE_USER = "default";
    public static final String DEFAULT_CLICKHOUSE_PASSWORD = "clickhouse";

    public LabConfig {
        kafkaClientSettings = Map.copyOf(kafkaClientSettings);
    }

    /** The lab as the environment describes it, with the local defaults for anything unset. */
    public static LabConfig fromEnvironment() {
        return from(LabConfig::setting);
    }

    /**
     * One setting of the environment: the variable, else a Java system property of the same name
     * ({@code -DKAFKA_BOOTSTRAP_SERVERS=...}), which is how a process that cannot change its own environment
     * (the course runner's warm JVM) hands a lab to the code it runs. Null when neither is set.
     */
    public static String setting(String name) {
        String v = System.getenv(name);
        return v != null && !v.isBlank() ? v : System.getProperty(name);
    }

    /** The same resolution over any variable source (tests pass a map). */
    public static LabConfig from(Function<String, String> env) {
        Function<String, String> get = name -> {
            String v = env.apply(name);
            return v == null || v.isBlank() ? null : v.trim();
        };
        String propertiesFile = get.apply("KAFKA_CLIENT_PROPERTIES");
        Map<String, String> clientSettings = propertiesFile == null ? Map.of() : readClientProperties(Path.of(propertiesFile));
        // a bootstrap in the properties file counts too, but the variable wins
        String bootstrap = firstNonNull(get.apply("KAFKA_BOOTSTRAP_SERVERS"), clientSettings.get("bootstrap.servers"),
                DEFAULT_KAFKA_BOOTSTRAP);
        boolean anySet = propertiesFile != null;
        for (String name : new String[] {"KAFKA_BOOTSTRAP_SERVERS", "S3_ENDPOINT", "S3_ACCESS_KEY", "S3_SECRET_KEY",
                "S3_BUCKET", "CLICKHOUSE_URL", "CLICKHOUSE_USER", "CLICKHOUSE_PASSWORD"}) {
            anySet |= get.apply(name) != null;
        }
        return new LabConfig(
                bootstrap,
                clientSettings,
                firstNonNull(get.apply("S3_ENDPOINT"), DEFAULT_S3_ENDPOINT),
                firstNonNull(get.apply("S3_ACCESS_KEY"), DEFAULT_S3_ACCESS_KEY),
                firstNonNull(get.apply("S3_SECRET_KEY"), DEFAULT_S3_SECRET_KEY),
                firstNonNull(get.apply("S3_BUCKET"), DEFAULT_BUCKET),
                firstNonNull(get.apply("CLICKHOUSE_URL"), DEFAULT_CLICKHOUSE_URL),
                firstNonNull(get.apply("CLICKHOUSE_USER"), DEFAULT_CLICKHOUSE_USER),
                firstNonNull(env.apply("CLICKHOUSE_PASSWORD"), DEFAULT_CLICKHOUSE_PASSWORD),
                anySet ? "environment" : "local lab defaults");
    }

    /** The local lab's defaults, ignoring the environment. */
    public static LabConfig localDefaults() {
        return from(name -> null);
    }

    public LabConfig withKafka(String bootstrap, String origin) {
        return new LabConfig(bootstrap, kafkaClientSettings, s3Endpoint, s3AccessKey, s3SecretKey, bucket, clickhouseUrl, clickhouseUser, clickhousePassword, origin);
    }

    public LabConfig withS3(String endpoint, String accessKey, String secretKey, String origin) {
        return new LabConfig(kafkaBootstrap, kafkaClientSettings, endpoint, accessKey, secretKey, bucket, clickhouseUrl, clickhouseUser, clickhousePassword, origin);
    }

    /** The same lab with one more Kafka client setting (e.g. {@code max.poll.interval.ms} for a lesson's stalled consumer). */
    public LabConfig withKafkaClientSetting(String name, String value) {
        Map<String, String> settings = new LinkedHashMap<>(kafkaClientSettings);
        settings.put(name, value);
        return new LabConfig(kafkaBootstrap, settings, s3Endpoint, s3AccessKey, s3SecretKey, bucket, clickhouseUrl, clickhouseUser, clickhousePassword, origin);
    }

    public LabConfig withBucket(String newBucket) {
        return new LabConfig(kafkaBootstrap, kafkaClientSettings, s3Endpoint, s3AccessKey, s3SecretKey, newBucket, clickhouseUrl, clickhouseUser, clickhousePassword, origin);
    }

    public LabConfig withClickhouse(String url, String origin) {
        return withClickhouse(url, clickhouseUser, clickhousePassword, origin);
    }

    public LabConfig withClickhouse(String url, String user, String password, String origin) {
        return new LabConfig(kafkaBootstrap, kafkaClientSettings, s3Endpoint, s3AccessKey, s3SecretKey, bucket, url, user, password, origin);
    }

    /**
     * The properties every Kafka client of the course starts from: the bootstrap servers plus whatever the
     * client properties file says (security protocol, SASL, SSL). Lessons add their own settings on top.
     */
    public Properties kafkaProperties() {
        Properties props = new Properties();
        props.putAll(kafkaClientSettings);
        props.put("bootstrap.servers", kafkaBootstrap);
        return props;
    }

    /** The first host:port of the bootstrap list, for messages and port checks. */
    public String kafkaFirstAddress() {
        return kafkaBootstrap.split(",")[0].trim();
    }

    public URI s3Uri() {
        return URI.create(s3Endpoint);
    }

    /** True when Kafka is the lab's own default address (so offering to start the embedded lab makes sense). */
    public boolean kafkaIsLocalDefault() {
        return DEFAULT_KAFKA_BOOTSTRAP.equals(kafkaBootstrap) && kafkaClientSettings.isEmpty();
    }

    /** A short, printable description, with no secrets in it. */
    public String describe() {
        String security = kafkaClientSettings.getOrDefault("security.protocol", "PLAINTEXT");
        return String.join(System.lineSeparator(),
                "  Kafka       " + kafkaBootstrap + "  (" + security + ")",
                "  S3          " + s3Endpoint + "  bucket '" + bucket + "'  key '" + s3AccessKey + "'",
                "  ClickHouse  " + clickhouseUrl + "  user '" + clickhouseUser + "'",
                "  from        " + origin);
    }

    /** The record's text without its secrets (a record's own toString would print the S3 secret and the password). */
    @Override
    public String toString() {
        return "LabConfig[kafka=" + kafkaBootstrap + ", s3=" + s3Endpoint + ", s3AccessKey=" + s3AccessKey + ", bucket=" + bucket
                + ", clickhouse=" + clickhouseUrl + ", clickhouseUser=" + clickhouseUser + ", origin=" + origin + "]";
    }

    /** What to tell a learner when nothing answers at the Kafka address. */
    public String howToStartKafka() {
        return "No Kafka broker answers at " + kafkaBootstrap + " (" + origin + ").\n"
                + "  Start the lab in another terminal, then run this again:\n"
                + "    ./jbang lab up             (no Docker needed: a real broker in a JVM)\n"
                + "    docker compose up -d       (with Docker)\n"
                + "  Or point KAFKA_BOOTSTRAP_SERVERS at a broker you already have.";
    }

    /** What to tell a learner when nothing answers at the S3 address. */
    public String howToStartS3() {
        return "No S3 server answers at " + s3Endpoint + " (" + origin + ").\n"
                + "  Start the lab in another terminal, then run this again:\n"
                + "    ./jbang lab up             (no Docker needed: S3Proxy in a JVM)\n"
                + "    docker compose up -d       (with Docker: MinIO)\n"
                + "  Or point S3_ENDPOINT (and S3_ACCESS_KEY / S3_SECRET_KEY) at a server you already have.";
    }

    private static Map<String, String> readClientProperties(Path file) {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            props.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("KAFKA_CLIENT_PROPERTIES names " + file.toAbsolutePath()
                    + ", which cannot be read (" + e.getMessage() + "). Fix the path or unset the variable.", e);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        props.stringPropertyNames().forEach(k -> settings.put(k, props.getProperty(k)));
        return settings;
    }

    @SafeVarargs
    private static <T> T firstNonNull(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
