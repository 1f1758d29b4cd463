//SOURCES ClickHouse.java ../LabException.java
//COMPILE_OPTIONS -encoding UTF-8
// JBang reads these //DEPS in every script that pulls this file in with //SOURCES; versions match pom.xml (CourseFilesTest checks).
//DEPS com.fasterxml.jackson:jackson-bom:2.20.1@pom
//DEPS com.fasterxml.jackson.core:jackson-databind
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * ClickHouse over its HTTP interface, with nothing but the JDK's HTTP client: each statement is the body of a POST,
 * results come back as JSONEachRow (one JSON object per row), an error as HTTP 500 with the
 * {@code X-ClickHouse-Exception-Code} header. The same requests work against clickhouse-server and the chDB bridge
 * (tools/chdb/bridge.js), which answers this subset of the interface.
 */
public final class ClickHouseHttp implements ClickHouse {
    /** The bridge names itself in this header (a server puts its host name there). */
    static final String CHDB_BRIDGE_NAME = "chdb-bridge";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build();

    private final URI base;
    private final String user;
    private final String password;
    private final HttpClient http;
    private final Duration timeout;
    private final boolean chdb;
    private final String version;

    private ClickHouseHttp(URI base, String user, String password, Duration timeout) {
        this.base = base;
        this.user = user;
        this.password = password;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3)).build();
        HttpResponse<String> ping = send(HttpRequest.newBuilder(base.resolve("/ping")).GET());
        this.chdb = ping.headers().firstValue("X-ClickHouse-Server-Display-Name").map(CHDB_BRIDGE_NAME::equals).orElse(false);
        this.version = scalar("SELECT version()");
    }

    /**
     * Connects to the ClickHouse HTTP interface at {@code url} (user and password from CLICKHOUSE_USER /
     * CLICKHOUSE_PASSWORD, default {@code default} with no password, like docker compose's). Throws a
     * {@link LabException} saying how to start ClickHouse when nothing answers there.
     */
    public static ClickHouseHttp connect(String url) {
        String user = System.getenv().getOrDefault("CLICKHOUSE_USER", "default");
        String password = System.getenv().getOrDefault("CLICKHOUSE_PASSWORD", "");
        return connect(url, user, password);
    }

    public static ClickHouseHttp connect(String url, String user, String password) {
        URI base = URI.create(url.endsWith("/") ? url : url + "/");
        try {
            return new ClickHouseHttp(base, user, password, Duration.ofMinutes(2));
        } catch (LabException e) {
            throw e;
        } catch (UnreachableException e) {
            throw new LabException(howToStart(url) + "\n  (" + e.getMessage() + ")", e);
        }
    }

    /** What to tell a learner when nothing answers at the ClickHouse address. */
    static String howToStart(String url) {
        return "No ClickHouse answers at " + url + ".\n"
                + "  Start the lab in another terminal, then run this again:\n"
                + "    ./jbang lab up             (no Docker needed: it starts the chDB bridge, ClickHouse's engine in a\n"
                + "                                Node process; install it once with `npm ci --prefix tools/chdb`)\n"
                + "    docker compose up -d       (with Docker: clickhouse-server)\n"
                + "  Or point CLICKHOUSE_URL at a ClickHouse server you already have.";
    }

    @Override
    public List<Map<String, String>> query(String sql) {
        String body = post(sql, true);
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode row = JSON.readTree(line);
                Map<String, String> values = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> f : row.properties()) {
                    JsonNode v = f.getValue();
                    values.put(f.getKey(), v.isNull() ? null : v.isValueNode() ? v.asText() : v.toString());
                }
                rows.add(values);
            } catch (IOException e) {
                throw new IllegalStateException("ClickHouse at " + base + " answered a line that is not JSON: " + line, e);
            }
        }
        return rows;
    }

    @Override
    public void execute(String sql) {
        post(sql, false);
    }

    @Override
    public String describe() {
        return base + " (ClickHouse " + version + (chdb ? ", chDB bridge" : "") + ")";
    }

    @Override
    public boolean isChdb() {
        return chdb;
    }

    public String version() {
        return version;
    }

    @Override
    public void close() {
        // the JDK's HttpClient needs no closing before Java 21; its threads are daemons
    }

    private String post(String sql, boolean rows) {
        StringBuilder params = new StringBuilder("?");
        if (rows) {
            // 64-bit integers as JSON strings: the server's default, made explicit (the bridge passes text through)
            params.append("default_format=JSONEachRow&output_format_json_quote_64bit_integers=1");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/" + params))
                .POST(HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8));
        HttpResponse<String> response = send(request);
        if (response.statusCode() != 200) {
            int code = response.headers().firstValue("X-ClickHouse-Exception-Code").map(Integer::parseInt).orElse(-1);
            throw new QueryError(code, response.body().strip());
        }
        return response.body();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        request.timeout(timeout).header("X-ClickHouse-User", user);
        if (!password.isEmpty()) {
            request.header("X-ClickHouse-Key", password);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new UnreachableException("nothing answers at " + base + ": " + e);
        } catch (IOException e) {
            throw new UnreachableException("talking to " + base + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException("interrupted while talking to " + base);
        }
    }

    /** Nothing (or nothing that speaks HTTP) answers at the address. */
    static final class UnreachableException extends RuntimeException {
        UnreachableException(String message) {
            super(message);
        }
    }
}
