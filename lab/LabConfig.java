//COMPILE_OPTIONS -encoding UTF-8
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
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
 * COURSE_LEARNER            optional: the learner's name in a workshop (else the one ./jbang course keeps in
 *                           .course-state.json); see "A learner's namespace" below
 * </pre>
 * No secret is printed: {@link #toString()} and {@link #describe()} leave the S3 secret and the ClickHouse password out.
 *
 * <h2>A learner's namespace</h2>
 * On a cluster a room shares, every name a lesson, an exercise or a test makes goes through one rule, {@link #name}:
 * with a learner, {@code alice}, it is {@code alice.} + the name ({@code lab.topic("my_topic")} = {@code alice.my_topic});
 * with none (a solo learner, the embedded lab) it is the name itself, exactly the original project's. The same spelling
 * then names a Kafka topic, a consumer group, a transactional id, a Kafka Streams application id, an S3 folder
 * ({@code alice.music_events/...}) and a ClickHouse table ({@code alice.music_events}: table music_events in the
 * learner's own database, {@link #clickhouseDatabase}). One prefix per learner is also what a managed cluster's ACLs
 * grant ({@code --resource-pattern-type prefixed --topic alice. --group alice. --transactional-id alice.}).
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
        String origin,
        String learner) {

    public static final String DEFAULT_KAFKA_BOOTSTRAP = "127.0.0.1:9092";
    public static final String DEFAULT_S3_ENDPOINT = "http://127.0.0.1:9000";
    public static final String DEFAULT_S3_ACCESS_KEY = "minioadmin";
    public static final String DEFAULT_S3_SECRET_KEY = "minioadmin";
    public static final String DEFAULT_BUCKET = "clickstream";
    public static final String DEFAULT_CLICKHOUSE_URL = "http://127.0.0.1:8123";
    /** The local lab's ClickHouse login, like S3's minioadmin: the chDB bridge and docker compose's server use it. */
    public static final String DEFAULT_CLICKHOUSE_USER = "default";
    public static final String DEFAULT_CLICKHOUSE_PASSWORD = "clickhouse";

    /** A learner's name: lower-case letters and digits, a letter first, at most 16 (valid in every system's names). */
    public static final java.util.regex.Pattern LEARNER = java.util.regex.Pattern.compile("[a-z][a-z0-9]{0,15}");

    public LabConfig {
        kafkaClientSettings = Map.copyOf(kafkaClientSettings);
        learner = learner == null ? "" : learner;
        if (!learner.isEmpty() && !isLearnerName(learner)) {
            throw new IllegalArgumentException(badLearner(learner));
        }
    }

    /** True for a valid learner's name: {@link #LEARNER}, and not a name ClickHouse keeps for itself. */
    public static boolean isLearnerName(String name) {
        return name != null && LEARNER.matcher(name).matches() && !List.of("default", "system").contains(name);
    }

    /** Why {@code name} is no learner's name, and what would be. */
    public static String badLearner(String name) {
        return "'" + name + "' is not a learner's name: use 1-16 lower-case letters and digits, a letter first (e.g. alice,"
                + " bob2; not default or system). It starts every topic, group and table you make on the shared cluster, so it must fit all of them.";
    }

    /**
     * The lab as the environment describes it, with the local defaults for anything unset. The learner is
     * COURSE_LEARNER, else the one the course runner keeps in the course's .course-state.json (found from the working
     * directory up), else none.
     */
    public static LabConfig fromEnvironment() {
        LabConfig lab = from(LabConfig::setting);
        if (lab.learner().isEmpty()) {
            String kept = learnerInCourseState(Path.of("").toAbsolutePath());
            if (isLearnerName(kept)) {
                lab = lab.withLearner(kept);
            }
        }
        return lab;
    }

    /** The learner the course runner keeps in .course-state.json at or above {@code dir}; null if none. */
    static String learnerInCourseState(Path dir) {
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("course.json"))) {
                try {
                    // the state file is JSON the runner writes; the name is [a-z0-9] only, so a pattern reads it safely
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"learner\"\\s*:\\s*\"([a-z0-9]*)\"")
                            .matcher(Files.readString(p.resolve(".course-state.json")));
                    return m.find() && !m.group(1).isEmpty() ? m.group(1) : null;
                } catch (IOException | RuntimeException e) {
                    return null; // no state yet: no learner
                }
            }
        }
        return null;
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
        Map<String, String> clientSettings = propertiesFile == null ? Map.of() : readClientProperties(clientPropertiesFile(propertiesFile));
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
                anySet ? "environment" : "local lab defaults",
                learnerSetting(get.apply("COURSE_LEARNER")));
    }

    private static String learnerSetting(String value) {
        if (value != null && !isLearnerName(value)) {
            throw new IllegalArgumentException("COURSE_LEARNER: " + badLearner(value));
        }
        return value;
    }

    /** The local lab's defaults, ignoring the environment. */
    public static LabConfig localDefaults() {
        return from(name -> null);
    }

    public LabConfig withKafka(String bootstrap, String origin) {
        return new LabConfig(bootstrap, kafkaClientSettings, s3Endpoint, s3AccessKey, s3SecretKey, bucket, clickhouseUrl, clickhouseUser, clickhousePassword, origin, learner);
    }

    public LabConfig withS3(String endpoint, String accessKey, String secretKey, String origin) {
        return new LabConfig(kafkaBootstrap, kafkaClientSettings, endpoint, accessKey, secretKey, bucket, clickhouseUrl, clickhouseUser, clickhousePassword, origin, learner);
    }

    /** The same lab with one more Kafka client setting (e.g. {@code max.poll.interval.ms} for a lesson's stalled consumer). */
    public LabConfig withKafkaClientSetting(String name, String value) {
        Map<String, String> settings = new LinkedHashMap<>(kafkaClientSettings);
        settings.put(name, value);
        return new LabConfig(kafkaBootstrap, settings, s3Endpoint, s3AccessKey, s3SecretKey, bucket, clickhouseUrl, clickhouseUser, clickhousePassword, origin, learner);
    }

    public LabConfig withBucket(String newBucket) {
        return new LabConfig(kafkaBootstrap, kafkaClientSettings, s3Endpoint, s3AccessKey, s3SecretKey, newBucket, clickhouseUrl, clickhouseUser, clickhousePassword, origin, learner);
    }

    public LabConfig withClickhouse(String url, String origin) {
        return withClickhouse(url, clickhouseUser, clickhousePassword, origin);
    }

    public LabConfig withClickhouse(String url, String user, String password, String origin) {
        return new LabConfig(kafkaBootstrap, kafkaClientSettings, s3Endpoint, s3AccessKey, s3SecretKey, bucket, url, user, password, origin, learner);
    }

    /** The same lab for another learner ("" for none): everything else stays. */
    public LabConfig withLearner(String newLearner) {
        return new LabConfig(kafkaBootstrap, kafkaClientSettings, s3Endpoint, s3AccessKey, s3SecretKey, bucket, clickhouseUrl, clickhouseUser, clickhousePassword, origin, newLearner);
    }

    /** True when a learner is set: every name then starts with {@code learner + "."}. */
    public boolean hasLearner() {
        return !learner.isEmpty();
    }

    /**
     * The one naming rule: {@code name} in the learner's namespace ({@code alice.name}), or {@code name} itself when no
     * learner is set. Idempotent: a name already in the namespace stays as it is.
     */
    public String name(String name) {
        if (learner.isEmpty() || name.startsWith(learner + ".")) {
            return name;
        }
        return learner + "." + name;
    }

    /** A topic of this learner: {@code lab.topic("my_topic")} is {@code alice.my_topic} (or {@code my_topic} alone). */
    public String topic(String topic) {
        return name(topic);
    }

    /** A consumer group of this learner ({@code alice.mygroupcli}). */
    public String group(String group) {
        return name(group);
    }

    /** A producer's transactional id of this learner. */
    public String transactionalId(String id) {
        return name(id);
    }

    /** A Kafka Streams application id of this learner (its internal topics then start with it too). */
    public String applicationId(String id) {
        return name(id);
    }

    /** An S3 key or prefix in the bucket, for this learner ({@code alice.lab-check/hello.txt}). */
    public String s3Key(String key) {
        return name(key);
    }

    /** The ClickHouse database this learner's tables live in: the learner's name, or {@code default}. */
    public String clickhouseDatabase() {
        return learner.isEmpty() ? "default" : learner;
    }

    /** A ClickHouse table as the learner types it in clickhouse-client: {@code alice.music_events} (or {@code music_events}). */
    public String clickhouseTable(String table) {
        return name(table);
    }

    /**
     * True when Kafka is somebody else's cluster a room may share: a bootstrap host that is not this machine, or a
     * secured connection (SASL or SSL). The embedded lab and docker compose on 127.0.0.1, on any port, are not.
     */
    public boolean kafkaIsShared() {
        String protocol = kafkaClientSettings.getOrDefault("security.protocol", "PLAINTEXT").toUpperCase(java.util.Locale.ROOT);
        if (!protocol.equals("PLAINTEXT")) {
            return true;
        }
        for (String address : kafkaBootstrap.split(",")) {
            String host = address.trim().replaceFirst("^[A-Za-z_]+://", "");
            host = host.startsWith("[") ? host.substring(1, Math.max(1, host.indexOf(']'))) : host.replaceFirst(":\\d+$", "");
            if (!(host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.isEmpty())) {
                return true;
            }
        }
        return false;
    }

    /** What to tell a learner on a shared cluster who has no name yet. */
    public String howToNameYourself() {
        return "Kafka at " + kafkaBootstrap + " is a cluster a room shares, and you have no learner's name yet: every topic,"
                + " group and table you make would collide with the others'.\n"
                + "  Run ./jbang course once (it asks for your name and keeps it), or set COURSE_LEARNER, e.g.\n"
                + "    COURSE_LEARNER=alice ./jbang lesson02";
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
                "  from        " + origin)
                + (learner.isEmpty() ? "" : System.lineSeparator() + "  learner     " + learner + "  (your names start with "
                        + learner + ".; ClickHouse database " + learner + ")");
    }

    /** The record's text without its secrets (a record's own toString would print the S3 secret and the password). */
    @Override
    public String toString() {
        return "LabConfig[kafka=" + kafkaBootstrap + ", s3=" + s3Endpoint + ", s3AccessKey=" + s3AccessKey + ", bucket=" + bucket
                + ", clickhouse=" + clickhouseUrl + ", clickhouseUser=" + clickhouseUser + ", origin=" + origin
                + (learner.isEmpty() ? "" : ", learner=" + learner) + "]";
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

    /**
     * The client properties file: as given; a relative name not found from the working directory is looked for in the
     * course folder (a workshop's handout says KAFKA_CLIENT_PROPERTIES=workshop-alice.properties, kept there), so
     * commands run from a subfolder find it too.
     */
    static Path clientPropertiesFile(String name) {
        Path file = Path.of(name);
        if (!file.isAbsolute() && !Files.exists(file)) {
            for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
                if (Files.isRegularFile(p.resolve("course.json"))) {
                    return Files.exists(p.resolve(file)) ? p.resolve(file) : file;
                }
            }
        }
        return file;
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
