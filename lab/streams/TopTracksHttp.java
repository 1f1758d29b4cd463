//SOURCES ../LabException.java
//COMPILE_OPTIONS -encoding UTF-8
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.streams.StreamsMetadata;

/**
 * A tiny HTTP endpoint on 127.0.0.1 that answers "which tracks are played most, this minute?" from the application's
 * window store: an interactive query, no database in between.
 * <pre>
 *   GET /top?n=10                   this instance's store: the newest minute it has, its top tracks
 *   GET /top?n=10&amp;minute=2026-11-30T10:15:00Z
 *   GET /top?n=10&amp;scope=all        every instance of the application: each holds only the tracks of its own
 *                                   partitions, so this one asks the others (their addresses come from Kafka Streams'
 *                                   metadata, application.server) and merges the answers
 * </pre>
 */
final class TopTracksHttp implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private StreamsApp app;

    private TopTracksHttp(HttpServer server) {
        this.server = server;
        // several threads: a "scope=all" request waits for the other instances while they answer theirs
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "top-tracks-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
    }

    /** Binds 127.0.0.1:port (0: any free port); serves nothing until {@link #serve}. */
    static TopTracksHttp bind(int port) {
        try {
            return new TopTracksHttp(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0));
        } catch (IOException e) {
            throw new LabException("Could not listen on 127.0.0.1:" + port + " for the interactive-query endpoint: " + e.getMessage()
                    + (port != 0 ? " (is the port taken? choose another, or 0 for any)" : ""), e);
        }
    }

    /** {@code 127.0.0.1:port}, what goes into application.server. */
    String hostAndPort() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    void serve(StreamsApp app) {
        this.app = app;
        server.createContext("/top", this::handle);
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        int status = 200;
        ObjectNode body;
        try {
            Map<String, String> q = query(exchange.getRequestURI());
            int n = Integer.parseInt(q.getOrDefault("n", "10"));
            Instant minute = q.containsKey("minute") ? Instant.parse(q.get("minute")) : null;
            body = "all".equals(q.get("scope")) ? all(n, minute) : local(n, minute);
        } catch (RuntimeException e) {
            // e.g. the store is not queryable during a rebalance: say so, the caller may ask again
            status = 503;
            body = JSON.createObjectNode().put("error", String.valueOf(e.getMessage()));
        }
        byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** This instance's store only. */
    private ObjectNode local(int n, Instant minute) {
        Instant m = minute != null ? minute : app.newestWindow();
        ObjectNode body = JSON.createObjectNode().put("scope", "local").put("instance", app.instance())
                .put("minute", m == null ? null : m.toString());
        ArrayNode tasks = body.putArray("tasks");
        app.assignment().active().keySet().forEach(tasks::add);
        ArrayNode tracks = body.putArray("tracks");
        if (m != null) {
            for (Map.Entry<String, Long> e : app.topTracks(m, n)) {
                tracks.addObject().put("track", e.getKey()).put("plays", e.getValue());
            }
        }
        return body;
    }

    /** Every instance's store, merged: the newest minute any of them has, then each one's tracks of that minute. */
    private ObjectNode all(int n, Instant minute) {
        List<String> endpoints = new ArrayList<>();
        for (StreamsMetadata m : app.streams().metadataForAllStreamsClients()) {
            if (m.stateStoreNames().contains(ClickstreamTopology.PLAYS_STORE)) {
                endpoints.add(m.hostInfo().host() + ":" + m.hostInfo().port());
            }
        }
        Instant m = minute;
        if (m == null) {
            for (String endpoint : endpoints) {
                String newest = ask(endpoint, "n=0").path("minute").asText(null);
                if (newest != null && (m == null || Instant.parse(newest).isAfter(m))) {
                    m = Instant.parse(newest);
                }
            }
        }
        ObjectNode body = JSON.createObjectNode().put("scope", "all").put("minute", m == null ? null : m.toString());
        ArrayNode instances = body.putArray("instances");
        Map<String, Long> merged = new HashMap<>();
        for (String endpoint : endpoints) {
            JsonNode answer = ask(endpoint, "n=" + Integer.MAX_VALUE + (m == null ? "" : "&minute=" + m));
            instances.addObject().put("endpoint", endpoint).put("instance", answer.path("instance").asText())
                    .put("tracks", answer.path("tracks").size());
            answer.path("tracks").forEach(t -> merged.merge(t.path("track").asText(), t.path("plays").asLong(), Long::sum));
        }
        ArrayNode tracks = body.putArray("tracks");
        merged.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(n).forEach(e -> tracks.addObject().put("track", e.getKey()).put("plays", e.getValue()));
        return body;
    }

    private JsonNode ask(String endpoint, String query) {
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://" + endpoint + "/top?scope=local&" + query))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("instance at " + endpoint + " answered " + r.statusCode() + ": " + r.body());
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException("instance at " + endpoint + " did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking " + endpoint, e);
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> q = new HashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    q.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return q;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
