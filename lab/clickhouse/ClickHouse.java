//SOURCES ClickHouseHttp.java ../LabConfig.java
//COMPILE_OPTIONS -encoding UTF-8
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * "Run this SQL, give me rows": what the course needs from ClickHouse. One implementation speaks ClickHouse's HTTP
 * interface ({@link ClickHouseHttp}); it serves a real server (docker compose, Testcontainers, CLICKHOUSE_URL) and
 * the chDB bridge ({@link ChdbBridge}: ClickHouse's engine in a Node process that answers the same HTTP
 * interface), so lessons and tests have a single code path.
 *
 * <p>Rows come back as column name → value as text, in the query's column order; NULL is {@code null}. Nothing
 * passes through a double on the way, so 64-bit integers and DateTime64 arrive exactly as ClickHouse wrote them.
 */
public interface ClickHouse extends AutoCloseable {

    /** Runs one SELECT (no FORMAT clause: rows come back as JSONEachRow) and returns its rows. */
    List<Map<String, String>> query(String sql);

    /** Runs one statement that returns nothing (CREATE, DROP, INSERT ...). */
    void execute(String sql);

    /** Where it is and what it is, for messages, e.g. "http://127.0.0.1:8123 (ClickHouse 26.7.2.1, chDB bridge)". */
    String describe();

    /** True when this is the chDB bridge (an engine in a local process) rather than a ClickHouse server. */
    boolean isChdb();

    @Override
    void close();

    /** The single value of a one-row, one-column query, e.g. {@code scalar("SELECT count() FROM t")}. */
    default String scalar(String sql) {
        List<Map<String, String>> rows = query(sql);
        if (rows.size() != 1 || rows.get(0).size() != 1) {
            throw new IllegalStateException("expected one value from " + sql + ", got " + rows);
        }
        return rows.get(0).values().iterator().next();
    }

    /** {@link #scalar} as a long. */
    default long count(String sql) {
        return Long.parseLong(scalar(sql));
    }

    /**
     * Runs an SQL file statement by statement, after replacing each {@code {name}} placeholder of {@code params}
     * (e.g. {@code {kafka_broker_list}}). Statements end with {@code ;} at the end of a line; {@code --} comment
     * lines are dropped. Returns the statements that ran, in order.
     */
    default List<String> runFile(Path file, Map<String, String> params) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        List<String> ran = new ArrayList<>();
        for (String statement : statements(substitute(text, params))) {
            try {
                execute(statement);
            } catch (QueryError e) {
                throw new QueryError(e.code(), e.getMessage() + "\n  in " + file + ":\n" + statement.indent(4), e);
            }
            ran.add(statement);
        }
        return ran;
    }

    /**
     * Runs an SQL file whose last statement is a SELECT (earlier statements, if any, run first with
     * {@link #execute}) and returns the rows of that SELECT. Placeholders and comments as in {@link #runFile}.
     */
    default List<Map<String, String>> queryFile(Path file, Map<String, String> params) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        List<String> all = statements(substitute(text, params));
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
        } catch (QueryError e) {
            throw new QueryError(e.code(), e.getMessage() + "\n  in " + file + ":\n" + statement.indent(4), e);
        }
    }

    /** Replaces {@code {name}} by its value for every name in params. */
    static String substitute(String sql, Map<String, String> params) {
        String result = sql;
        for (Map.Entry<String, String> p : params.entrySet()) {
            result = result.replace("{" + p.getKey() + "}", p.getValue());
        }
        return result;
    }

    /** Splits SQL text into statements: each ends with a {@code ;} at the end of a line; comment lines are dropped. */
    static List<String> statements(String text) {
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
    static long awaitAtLeast(LongSupplier value, long expected, Duration timeout) {
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
     * The ClickHouse the lab names (CLICKHOUSE_URL, default http://127.0.0.1:8123): a server, or the chDB bridge
     * that {@code ./jbang lab up} starts. Throws a {@link LabException} saying how to start one when nothing answers.
     */
    static ClickHouse connect(LabConfig lab) {
        return ClickHouseHttp.connect(lab.clickhouseUrl());
    }

    /**
     * The Kafka address as this ClickHouse sees it, for the {@code {kafka_broker_list}} of the lesson's SQL. The chDB
     * bridge runs on this machine, so it is the lab's own bootstrap address. A server usually runs in a container
     * next to Kafka: {@code CLICKHOUSE_KAFKA_BROKER_LIST} when set, else docker compose's {@code kafka:19092}.
     */
    static String kafkaBrokerListFor(ClickHouse clickhouse, LabConfig lab) {
        String env = System.getenv("CLICKHOUSE_KAFKA_BROKER_LIST");
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
    static String s3EndpointFor(ClickHouse clickhouse, LabConfig lab) {
        String env = System.getenv("CLICKHOUSE_S3_ENDPOINT");
        if (env != null && !env.isBlank()) {
            return stripSlash(env.trim());
        }
        return clickhouse.isChdb() ? stripSlash(lab.s3Endpoint()) : "http://minio:9000";
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** An error ClickHouse answered with: its error code (e.g. 60 = UNKNOWN_TABLE) and its message. */
    final class QueryError extends RuntimeException {
        private final int code;

        public QueryError(int code, String message) {
            super(message);
            this.code = code;
        }

        public QueryError(int code, String message, Throwable cause) {
            super(message, cause);
            this.code = code;
        }

        public int code() {
            return code;
        }
    }
}
