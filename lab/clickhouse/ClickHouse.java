//SOURCES ChdbBridge.java ../LabConfig.java ../LabException.java
//COMPILE_OPTIONS -encoding UTF-8
// JBang reads these //DEPS in every script that pulls this file in with //SOURCES; versions match pom.xml (CourseFilesTest checks).
//DEPS com.clickhouse:client-v2:0.10.0
// client-v2 needs Guava 31+; named here because a script that also uses lab/events/EventParquet.java otherwise gets
// hadoop-client-api's managed Guava 27 from JBang (lesson 09 died with NoSuchMethodError ...buildKeepingLast)
//DEPS com.google.guava:guava:33.4.6-jre
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.command.CommandResponse;
import com.clickhouse.client.api.metadata.TableSchema;
import com.clickhouse.client.api.query.GenericRecord;

/**
 * ClickHouse for the course, through ClickHouse's official Java client ({@code com.clickhouse:client-v2}): a
 * {@link Client} built from {@code CLICKHOUSE_URL} and the lab's login, as a data engineer builds one at work. The same
 * client talks to a ClickHouse server (docker compose, Testcontainers, a teacher's cluster) and to the chDB bridge
 * ({@link ChdbBridge}: ClickHouse's engine in a Node process that answers the same HTTP interface).
 *
 * <p>What this class adds around the client is only what the course repeats: running the SQL files of {@code sql/}
 * statement by statement with their {@code {placeholders}}, waiting for a Kafka table to catch up, and telling the
 * bridge from a server. Rows are the client's {@link GenericRecord}s ({@code getString("event_type")},
 * {@code getLong("events")}); errors are the client's {@link ServerException} with ClickHouse's error code.
 */
public final class ClickHouse implements AutoCloseable {
    /** What the chDB bridge answers to {@code SELECT displayName()} (a server answers its host name). */
    static final String BRIDGE_NAME = "chdb-bridge";

    private final Client client;
    private final String url;
    private final String version;
    private final boolean chdb;

    private ClickHouse(Client client, String url, String version, boolean chdb) {
        this.client = client;
        this.url = url;
        this.version = version;
        this.chdb = chdb;
    }

    /**
     * The client, built the way you would at work: one endpoint (the HTTP interface, CLICKHOUSE_URL), a login, and a
     * client kept for the life of the program (it pools its connections). One lab setting: responses are not LZ4-framed
     * ({@code compressServerResponse(false)}): on 127.0.0.1 compression only costs CPU, and the chDB bridge does not
     * write that framing. Against a cluster across a network, leave compression on.
     */
    public static Client client(LabConfig lab) {
        return new Client.Builder()
                .addEndpoint(lab.clickhouseUrl())
                .setUsername(lab.clickhouseUser())
                .setPassword(lab.clickhousePassword())
                // a learner's tables live in their own database (LabConfig#clickhouseDatabase; "default" without one)
                .setDefaultDatabase(lab.clickhouseDatabase())
                .compressServerResponse(false)
                .setConnectTimeout(3, ChronoUnit.SECONDS)
                .setClientName("kafka-in-practice")
                .build();
    }

    /**
     * The ClickHouse the lab names (CLICKHOUSE_URL, default http://127.0.0.1:8123): a server, or the chDB bridge that
     * {@code ./jbang lab up} starts. Asks it for its version once; throws a {@link LabException} saying how to start one
     * when nothing answers, or which login to set when it refuses the lab's.
     */
    public static ClickHouse connect(LabConfig lab) {
        if (lab.hasLearner()) { // the learner's database first: the client's default database must exist
            try (ClickHouse first = connect(lab.withLearner(""))) {
                first.execute("CREATE DATABASE IF NOT EXISTS " + lab.clickhouseDatabase());
            }
        }
        Client client = client(lab);
        try {
            GenericRecord who = client.queryAll("SELECT version() AS version, displayName() AS name").get(0);
            return new ClickHouse(client, lab.clickhouseUrl(), who.getString("version"), BRIDGE_NAME.equals(who.getString("name")));
        } catch (RuntimeException e) {
            client.close();
            ServerException refused = serverError(e);
            if (refused != null && refused.getCode() == 516) {
                throw new LabException("ClickHouse at " + lab.clickhouseUrl() + " refused the login '" + lab.clickhouseUser() + "'.\n"
                        + "  Set CLICKHOUSE_USER / CLICKHOUSE_PASSWORD to its login (the local lab's is " + LabConfig.DEFAULT_CLICKHOUSE_USER
                        + " / " + LabConfig.DEFAULT_CLICKHOUSE_PASSWORD + ").\n  (" + refused.getMessage().strip() + ")", e);
            }
            if (refused != null) {
                throw refused;
            }
            throw new LabException(howToStart(lab.clickhouseUrl()) + "\n  (" + rootMessage(e) + ")", e);
        }
    }

    /** What to tell a learner when nothing answers at the ClickHouse address. */
    static String howToStart(String url) {
        return "No ClickHouse answers at " + url + ".\n"
                + "  Start the lab in another terminal, then run this again:\n"
                + "    ./jbang lab up             (no Docker needed: it starts the chDB bridge, ClickHouse's engine in a\n"
                + "                                Node process; with Node.js 18+ it installs it itself: " + ChdbBridge.HOW_TO_INSTALL + ")\n"
                + "    docker compose up -d       (with Docker: clickhouse-server)\n"
                + "  Or point CLICKHOUSE_URL at a ClickHouse server you already have.";
    }

    /** The official client itself, for anything this class does not wrap. */
    public Client client() {
        return client;
    }

    /** Runs one SELECT and returns all its rows ({@code client.queryAll}). */
    public List<GenericRecord> query(String sql) {
        try {
            return client.queryAll(sql);
        } catch (RuntimeException e) {
            throw unwrap(e);
        }
    }

    /** Runs one statement that returns nothing (CREATE, DROP, INSERT ...) and waits for it ({@code client.execute}). */
    public void execute(String sql) {
        try (CommandResponse done = client.execute(sql).get(5, TimeUnit.MINUTES)) {
            // nothing to read: it ran
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("ClickHouse at " + url + " did not finish in 5 minutes: " + sql, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while ClickHouse ran " + sql, e);
        } catch (Exception e) { // closing the response
            throw unwrap(e);
        }
    }

    /** The single value of a one-row, one-column query, as text, e.g. {@code scalar("SELECT version()")}. */
    public String scalar(String sql) {
        List<GenericRecord> rows = query(sql);
        if (rows.size() != 1 || rows.get(0).getSchema().getColumns().size() != 1) {
            throw new IllegalStateException("expected one value from " + sql + ", got " + rows.size() + " row(s)");
        }
        return rows.get(0).getString(1);
    }

    /** {@link #scalar} as a long, e.g. {@code count("SELECT count() FROM music_events")}. */
    public long count(String sql) {
        return Long.parseLong(scalar(sql));
    }

    /** A row as column name → value as text, in the query's column order (NULL stays null): for printing and tests. */
    public static Map<String, String> text(GenericRecord row) {
        Map<String, String> values = new LinkedHashMap<>();
        TableSchema schema = row.getSchema();
        for (int i = 1; i <= schema.getColumns().size(); i++) {
            values.put(schema.getColumns().get(i - 1).getColumnName(), row.hasValue(i) ? row.getString(i) : null);
        }
        return values;
    }

    /** Where it is and what it is, for messages, e.g. "http://127.0.0.1:8123 (ClickHouse 26.7.2.1, chDB bridge)". */
    public String describe() {
        return url + " (ClickHouse " + version + (chdb ? ", chDB bridge" : "") + ")";
    }

    /** True when this is the chDB bridge (an engine in a local process) rather than a ClickHouse server. */
    public boolean isChdb() {
        return chdb;
    }

    @Override
    public void close() {
        client.close();
    }

    /**
     * Runs an SQL file statement by statement, after replacing each {@code {name}} placeholder of {@code params}
     * (e.g. {@code {kafka_broker_list}}). Statements end with {@code ;} at the end of a line; {@code --} comment
     * lines are dropped. Returns the statements that ran, in order. An error names the file and the statement.
     */
    public List<String> runFile(Path file, Map<String, String> params) {
        List<String> ran = new ArrayList<>();
        for (String statement : statements(substitute(read(file), params))) {
            try {
                execute(statement);
            } catch (ServerException e) {
                throw inFile(e, file, statement);
            }
            ran.add(statement);
        }
        return ran;
    }

    /**
     * Runs an SQL file whose last statement is a SELECT (earlier statements, if any, run first with
     * {@link #execute}) and returns the rows of that SELECT. Placeholders and comments as in {@link #runFile}.
     */
    public List<GenericRecord> queryFile(Path file, Map<String, String> params) {
        List<String> all = statements(substitute(read(file), params));
        if (all.isEmpty()) {
            throw new IllegalArgumentException(file + " has no statement");
        }
        String statement = null;
        try {
            for (int i = 0; i < all.size() - 1; i++) {
                statement = all.get(i);
                execute(statement);
            }
            statement = all.get(all.size() - 1);
            return query(statement);
        } catch (ServerException e) {
            throw inFile(e, file, statement);
        }
    }

    /** The one statement of an SQL file, placeholders filled in and comment lines dropped: to hand to the client yourself. */
    public static String statement(Path file, Map<String, String> params) {
        List<String> all = statements(substitute(read(file), params));
        if (all.size() != 1) {
            throw new IllegalArgumentException(file + " has " + all.size() + " statements, not one");
        }
        return all.get(0);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static ServerException inFile(ServerException e, Path file, String statement) {
        ServerException withFile = new ServerException(e.getCode(), e.getMessage().strip() + "\n  in " + file + ":\n" + statement.indent(4),
                e.getTransportProtocolCode(), e.getQueryId());
        withFile.initCause(e);
        return withFile;
    }

    /** Replaces {@code {name}} by its value for every name in params. */
    public static String substitute(String sql, Map<String, String> params) {
        String result = sql;
        for (Map.Entry<String, String> p : params.entrySet()) {
            result = result.replace("{" + p.getKey() + "}", p.getValue());
        }
        return result;
    }

    /** Splits SQL text into statements: each ends with a {@code ;} at the end of a line; comment lines are dropped. */
    public static List<String> statements(String text) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\\R")) {
            if (line.strip().startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (line.stripTrailing().endsWith(";")) {
                String s = current.toString().strip();
                statements.add(s.substring(0, s.length() - 1).strip());
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().strip());
        }
        return statements;
    }

    /**
     * Waits until {@code value} reaches {@code expected} (e.g. rows a Kafka table has consumed) and returns the last
     * value seen; gives up after {@code timeout} and returns what it has then.
     */
    public static long awaitAtLeast(LongSupplier value, long expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long seen = value.getAsLong();
        while (seen < expected && System.nanoTime() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return seen;
            }
            seen = value.getAsLong();
        }
        return seen;
    }

    /**
     * The Kafka address as this ClickHouse sees it, for the {@code {kafka_broker_list}} of the lesson's SQL. The chDB
     * bridge runs on this machine, so it is the lab's own bootstrap address. A server usually runs in a container
     * next to Kafka: {@code CLICKHOUSE_KAFKA_BROKER_LIST} when set, else docker compose's {@code kafka:19092}.
     */
    public static String kafkaBrokerListFor(ClickHouse clickhouse, LabConfig lab) {
        String env = LabConfig.setting("CLICKHOUSE_KAFKA_BROKER_LIST");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        return clickhouse.isChdb() ? lab.kafkaBootstrap() : "kafka:19092";
    }

    /**
     * The S3 endpoint as this ClickHouse sees it, for the {@code {s3_url}} of lesson 09's SQL (s3() over the lake).
     * The chDB bridge runs on this machine: the lab's own S3 address. A server usually runs in a container next to
     * MinIO: {@code CLICKHOUSE_S3_ENDPOINT} when set, else docker compose's {@code http://minio:9000}.
     */
    public static String s3EndpointFor(ClickHouse clickhouse, LabConfig lab) {
        String env = LabConfig.setting("CLICKHOUSE_S3_ENDPOINT");
        if (env != null && !env.isBlank()) {
            return stripSlash(env.trim());
        }
        return clickhouse.isChdb() ? stripSlash(lab.s3Endpoint()) : "http://minio:9000";
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** ClickHouse's answer inside what the client threw (queryAll wraps it in a ClientException), or null. */
    static ServerException serverError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ServerException s) {
                return s;
            }
        }
        return null;
    }

    private static RuntimeException unwrap(Throwable e) {
        ServerException s = serverError(e);
        if (s != null) {
            return s;
        }
        return e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
