//SOURCES ../LabConfig.java ../LabException.java
//COMPILE_OPTIONS -encoding UTF-8
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * that answers ClickHouse's HTTP interface on 127.0.0.1. No ClickHouse server and no Docker needed. When Node.js 18+
 * is on the PATH and the bridge's packages are missing, {@link #start} installs them itself from the lock file
 * ({@value #HOW_TO_INSTALL}, once, one process at a time). Talk to it with {@link ClickHouse}, like to any server;
 * it accepts the lab's ClickHouse login only, handed to it in its environment.
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

    /** How to install the bridge, for messages (the lab runs it itself when Node.js is there). */
    public static final String HOW_TO_INSTALL = "npm ci --prefix tools/chdb";

    private static final String GET_NODE = "install Node.js 18 or newer (https://nodejs.org, or your system's package manager:"
            + " `apt-get install nodejs npm`, `brew install node`, `winget install OpenJS.NodeJS.LTS`)";

    /**
     * Null when the bridge can start here, perhaps after installing its packages itself; otherwise what is missing and
     * exactly what to install (Node.js 18+ with npm).
     */
    public static String missing(Path courseRoot) {
        Path home = home(courseRoot);
        if (!Files.exists(home.resolve("bridge.js"))) {
            return "the chDB bridge is not in this folder (" + home.resolve("bridge.js") + " is missing)";
        }
        String node = versionOf("node");
        if (node == null) {
            return "Node.js is not on the PATH: " + GET_NODE;
        }
        Matcher major = Pattern.compile("v(\\d+)\\.").matcher(node);
        if (!major.find() || Integer.parseInt(major.group(1)) < 18) {
            return "Node.js " + node + " is too old for chDB: " + GET_NODE;
        }
        if (!installed(courseRoot) && versionOf(npm()) == null) {
            return "npm (Node's package manager) is not on the PATH, so the bridge cannot install itself: " + GET_NODE;
        }
        return null;
    }

    /** True when tools/chdb/node_modules holds a finished install (npm writes node_modules/.package-lock.json last). */
    public static boolean installed(Path courseRoot) {
        Path modules = home(courseRoot).resolve("node_modules");
        return Files.exists(modules.resolve(".package-lock.json")) && Files.exists(modules.resolve("chdb").resolve("package.json"));
    }

    /**
     * Installs the bridge's packages from its lock file when they are missing: one line says what runs while npm works
     * (seconds from npm's cache, ~180 MB from the registry the first time). A file lock lets one process install while
     * others (a test run and {@code ./jbang lab up} at once) wait for it and then find it done. Returns true when this
     * call installed them; throws a {@link LabException} with npm's last lines when npm fails.
     */
    public static synchronized boolean ensureInstalled(Path courseRoot, Consumer<String> progress) { // threads here, the file lock across processes
        if (installed(courseRoot)) {
            return false;
        }
        String why = missing(courseRoot);
        if (why != null) {
            throw new LabException("Cannot start ClickHouse (chDB): " + why + ".");
        }
        Path home = home(courseRoot);
        try (FileChannel lockFile = FileChannel.open(home.resolve(".install.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = lockFile.lock()) {
            if (installed(courseRoot)) {
                return false; // another process installed it while this one waited
            }
            List<String> command = List.of(npm(), "ci", "--prefix", home.toString(), "--no-audit", "--no-fund", "--loglevel=error");
            progress.accept("Installing ClickHouse's engine for the lab (chDB, ~180 MB from the npm registry the first time, once): "
                    + HOW_TO_INSTALL + " ...");
            long start = System.nanoTime();
            Process npm = new ProcessBuilder(command).directory(courseRoot.toFile()).redirectErrorStream(true).start();
            npm.getOutputStream().close();
            String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!npm.waitFor(15, TimeUnit.MINUTES) || npm.exitValue() != 0 || !installed(courseRoot)) {
                npm.destroyForcibly();
                List<String> lines = output.lines().toList();
                throw new LabException("Installing the chDB bridge failed (" + String.join(" ", command) + "):\n    "
                        + String.join("\n    ", lines.subList(Math.max(0, lines.size() - 15), lines.size()))
                        + "\n  Run `" + HOW_TO_INSTALL + "` in the course folder yourself to see why.");
            }
            progress.accept(String.format("Installed the chDB bridge in %.0f s (tools/chdb/node_modules).", (System.nanoTime() - start) / 1e9));
            return true;
        } catch (IOException e) {
            throw new LabException("Could not install the chDB bridge (" + HOW_TO_INSTALL + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while installing the chDB bridge", e);
        }
    }

    private static String npm() {
        return System.getProperty("os.name", "").toLowerCase().startsWith("windows") ? "npm.cmd" : "npm";
    }

    /** What {@code tool --version} prints, or null when it does not run. */
    private static String versionOf(String tool) {
        try {
            Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Starts the bridge on 127.0.0.1:{@code port} (0 = a free port) with its tables under {@code dataDir} (null = a
     * temporary folder, deleted when it stops), accepting the login {@code user} / {@code password} only. Installs it
     * first when needed ({@link #ensureInstalled}); {@code log} gets that progress and what the bridge prints. Waits
     * until it answers.
     */
    public static ChdbBridge start(Path courseRoot, int port, Path dataDir, String user, String password, Consumer<String> log) {
        return start(courseRoot, "127.0.0.1", port, dataDir, user, password, log);
    }

    /** The same on {@code host}: another address than 127.0.0.1 only for a workshop's room, with a login of its own. */
    public static ChdbBridge start(Path courseRoot, String host, int port, Path dataDir, String user, String password, Consumer<String> log) {
        ensureInstalled(courseRoot, log);
        List<String> command = new java.util.ArrayList<>(List.of("node", home(courseRoot).resolve("bridge.js").toString(),
                "--port", Integer.toString(port), "--host", host, "--exit-with-stdin"));
        if (dataDir != null) {
            command.addAll(List.of("--data", dataDir.toAbsolutePath().toString()));
        }
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            // the login goes in the environment, not on the command line, where any user's `ps` would show it
            builder.environment().put("CLICKHOUSE_USER", user);
            builder.environment().put("CLICKHOUSE_PASSWORD", password);
            process = builder.start();
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

    /** {@link #start} with the lab's ClickHouse login. */
    public static ChdbBridge start(Path courseRoot, int port, Path dataDir, LabConfig lab, Consumer<String> log) {
        return start(courseRoot, port, dataDir, lab.clickhouseUser(), lab.clickhousePassword(), log);
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
