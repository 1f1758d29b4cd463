//SOURCES ../LabException.java
//COMPILE_OPTIONS -encoding UTF-8
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts and stops the chDB bridge (tools/chdb/bridge.js): ClickHouse's own engine, in-process in a Node program
 * that answers ClickHouse's HTTP interface on 127.0.0.1. No ClickHouse server and no Docker needed; install once
 * with {@code npm ci --prefix tools/chdb}. Talk to it with {@link ClickHouseHttp}, like to any server.
 *
 * <p>The bridge stops when this JVM closes its stdin (on {@link #close()}, or when the JVM dies), so it never
 * outlives the lab or the test run that started it.
 */
public final class ChdbBridge implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("chdb-bridge listening on (http://[^ ]+) ");

    private final Process process;
    private final String url;
    private final String banner;

    private ChdbBridge(Process process, String url, String banner) {
        this.process = process;
        this.url = url;
        this.banner = banner;
    }

    /** The bridge's folder in the course. */
    public static Path home(Path courseRoot) {
        return courseRoot.resolve("tools").resolve("chdb");
    }

    /** How to install the bridge, for messages. */
    public static final String HOW_TO_INSTALL = "npm ci --prefix tools/chdb";

    /**
     * Null when the bridge can start here; otherwise what is missing and how to get it (Node.js, or the chdb package).
     */
    public static String missing(Path courseRoot) {
        Path home = home(courseRoot);
        if (!Files.exists(home.resolve("bridge.js"))) {
            return "the chDB bridge is not in this folder (" + home.resolve("bridge.js") + " is missing)";
        }
        try {
            Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            node.getInputStream().readAllBytes();
            if (!node.waitFor(10, TimeUnit.SECONDS) || node.exitValue() != 0) {
                return "`node --version` failed: install Node.js 18 or newer (https://nodejs.org), then run `" + HOW_TO_INSTALL + "`";
            }
        } catch (IOException e) {
            return "Node.js is not on the PATH: install Node.js 18 or newer (https://nodejs.org), then run `" + HOW_TO_INSTALL + "`";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while looking for Node.js";
        }
        if (!Files.exists(home.resolve("node_modules").resolve("chdb").resolve("package.json"))) {
            return "the chDB bridge is not installed: run `" + HOW_TO_INSTALL + "` in the course folder"
                    + " (once; ~180 MB from the npm registry: chdb 3.4.0 = ClickHouse 26.7 as a library)";
        }
        return null;
    }

    /**
     * Starts the bridge on 127.0.0.1:{@code port} (0 = a free port) with its tables under {@code dataDir} (null = a
     * temporary folder, deleted when it stops). {@code log} gets what the bridge prints. Waits until it answers.
     */
    public static ChdbBridge start(Path courseRoot, int port, Path dataDir, Consumer<String> log) {
        String why = missing(courseRoot);
        if (why != null) {
            throw new LabException("Cannot start ClickHouse (chDB): " + why + ".");
        }
        List<String> command = new java.util.ArrayList<>(List.of("node", home(courseRoot).resolve("bridge.js").toString(),
                "--port", Integer.toString(port), "--exit-with-stdin"));
        if (dataDir != null) {
            command.addAll(List.of("--data", dataDir.toAbsolutePath().toString()));
        }
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new LabException("Cannot start the chDB bridge (" + String.join(" ", command) + "): " + e.getMessage(), e);
        }
        CompletableFuture<Matcher> listening = new CompletableFuture<>();
        Deque<String> lastLines = new ArrayDeque<>();
        Thread reader = new Thread(() -> pump(process.getInputStream(), line -> {
            Matcher m = LISTENING.matcher(line);
            if (!listening.isDone() && m.find()) {
                listening.complete(m);
            } else {
                synchronized (lastLines) {
                    lastLines.addLast(line);
                    if (lastLines.size() > 20) {
                        lastLines.removeFirst();
                    }
                }
                log.accept(line);
            }
        }, () -> listening.completeExceptionally(new IOException("the bridge stopped"))), "chdb-bridge-output");
        reader.setDaemon(true);
        reader.start();
        try {
            Matcher m = listening.get(90, TimeUnit.SECONDS);
            return new ChdbBridge(process, m.group(1), m.group(0).trim());
        } catch (ExecutionException | TimeoutException e) {
            process.destroy();
            String output;
            synchronized (lastLines) {
                output = String.join("\n    ", lastLines);
            }
            throw new LabException("The chDB bridge did not start (" + String.join(" ", command) + ").\n"
                    + (output.isEmpty() ? "" : "  It said:\n    " + output), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroy();
            throw new LabException("interrupted while starting the chDB bridge", e);
        }
    }

    private static void pump(InputStream in, Consumer<String> lines, Runnable atEnd) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                lines.accept(line);
            }
        } catch (IOException e) {
            // the process is gone
        } finally {
            atEnd.run();
        }
    }

    /** Its HTTP address, e.g. http://127.0.0.1:8123: what CLICKHOUSE_URL should say. */
    public String url() {
        return url;
    }

    /** What it printed when it started (ClickHouse version, data folder). */
    public String banner() {
        return banner;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the bridge: closes its stdin (it closes its chDB session and exits), or kills it after 15 s. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (IOException e) {
            process.destroy();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
