import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The check JVM: started by the course runner on the course's test class path, it keeps the compiler, JUnit and a
 * lab warm and checks one exercise per request (see {@link CheckRunner}). It listens on 127.0.0.1 only, answers
 * only requests that carry the token from its info file (readable by its owner only), takes one check at a time,
 * and ends after {@code idle} minutes with no request and no open connection (a running {@code watch} keeps its
 * connection open), after {@link #MAX_CHECKS} checks, or when a test never ended.
 *
 * <p>Protocol: one JSON object per line. Request {@code {"token", "op": "check"|"ping"|"stop", "request", "clickhouse"}};
 * answers {@code {"progress": "..."}} lines, then {@code {"result": {...}}}, {@code {"lab": ...}} or {@code {"error": "..."}}.
 */
final class CheckServer {
    static final ObjectMapper JSON = CheckResult.JSON;
    /** Class loaders come and go with each check; a fresh JVM now and then keeps the memory flat. */
    static final int MAX_CHECKS = 150;

    private final CheckRunner runner;
    private final CheckLab lab;
    private final String token;
    private final Path info;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicLong lastActivity = new AtomicLong(System.nanoTime());
    private final Object checking = new Object();
    private int checks;

    private CheckServer(CheckRunner runner, CheckLab lab, String token, Path info) {
        this.runner = runner;
        this.lab = lab;
        this.token = token;
        this.info = info;
    }

    /** Arguments: course folder, info file, work folder, fingerprint, lab key, idle minutes. The token comes on stdin. */
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        Path info = Path.of(args[1]);
        Path work = Path.of(args[2]);
        long idleMinutes = Long.parseLong(args[5]);
        // Ctrl-C in the learner's terminal is for the runner there, not for this JVM it started (same process group)
        for (String signal : List.of("INT", "HUP")) {
            ignore(signal);
        }
        String token = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        Consumer<String> progress = line -> System.out.println("[check-jvm] " + line);
        List<Path> classpath = new ArrayList<>();
        List<Path> prebuilt = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            classpath.add(p);
            if (Files.isDirectory(p)) {
                prebuilt.add(p);
            }
        }
        CheckLab lab = new CheckLab(root, "embedded".equalsIgnoreCase(System.getenv("COURSE_CHECK_LAB")));
        lab.start(progress);
        progress.accept("lab: " + lab.describe());
        CheckRunner runner = new CheckRunner(classpath, prebuilt, CheckServer.class.getClassLoader(), work, System.out);
        CheckServer server = new CheckServer(runner, lab, token, info);
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            ObjectNode doc = JSON.createObjectNode().put("pid", ProcessHandle.current().pid()).put("port", socket.getLocalPort())
                    .put("fingerprint", args[3]).put("labKey", args[4]).put("lab", lab.describe());
            Path tmp = info.resolveSibling(info.getFileName() + ".tmp");
            Files.writeString(tmp, JSON.writeValueAsString(doc));
            Files.move(tmp, info, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Runtime.getRuntime().addShutdownHook(new Thread(server::cleanUp, "check-jvm-stop"));
            progress.accept("listening on 127.0.0.1:" + socket.getLocalPort());
            Thread idle = new Thread(() -> server.idleWatch(idleMinutes * 60_000_000_000L), "check-jvm-idle");
            idle.setDaemon(true);
            idle.start();
            while (true) {
                Socket client = socket.accept();
                Thread t = new Thread(() -> server.serve(client), "check-jvm-client");
                t.setDaemon(true);
                t.start();
            }
        }
    }

    private void serve(Socket client) {
        connections.incrementAndGet();
        try (client;
             BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
             BufferedWriter out = new BufferedWriter(new OutputStreamWriter(client.getOutputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                lastActivity.set(System.nanoTime());
                JsonNode request = JSON.readTree(line);
                if (!MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                        request.path("token").asText("").getBytes(StandardCharsets.UTF_8))) {
                    send(out, JSON.createObjectNode().put("error", "wrong token"));
                    return;
                }
                boolean endAfter = handle(request, out);
                lastActivity.set(System.nanoTime());
                if (endAfter) {
                    System.exit(0);
                }
            }
        } catch (IOException | RuntimeException e) {
            System.out.println("[check-jvm] connection ended: " + e);
        } finally {
            connections.decrementAndGet();
            lastActivity.set(System.nanoTime());
        }
    }

    /** Answers one request; true when this JVM should end after it. */
    private boolean handle(JsonNode request, BufferedWriter out) throws IOException {
        switch (request.path("op").asText()) {
            case "ping" -> {
                send(out, JSON.createObjectNode().put("lab", lab.describe()).put("checks", checks).put("rssKb", rssKb()));
                return false;
            }
            case "stop" -> {
                send(out, JSON.createObjectNode().put("stopped", true));
                return true;
            }
            case "check" -> {
                synchronized (checking) {
                    Consumer<String> progress = line -> {
                        try {
                            send(out, JSON.createObjectNode().put("progress", line));
                        } catch (IOException gone) {
                            // the runner went away; the check ends anyway
                        }
                    };
                    CheckResult.Request r = JSON.treeToValue(request.path("request"), CheckResult.Request.class);
                    CheckResult result;
                    try {
                        lab.ensureAlive(progress);
                        Map<String, String> props = lab.properties(request.path("clickhouse").asBoolean(), progress);
                        result = runner.check(r, props);
                    } catch (Exception e) {
                        result = new CheckResult(r.exercise(), CheckResult.ERROR, 0, 0, List.of(), List.of(),
                                "the check JVM could not run the check: " + e);
                    }
                    checks++;
                    boolean hung = result.outcome().equals(CheckResult.ERROR) && result.note() != null
                            && result.note().startsWith("the test did not end");
                    boolean ending = hung || checks >= MAX_CHECKS;
                    ObjectNode answer = JSON.createObjectNode().put("ending", ending);
                    send(out, answer.set("result", JSON.valueToTree(result)));
                    return ending;
                }
            }
            default -> {
                send(out, JSON.createObjectNode().put("error", "unknown op " + request.path("op").asText()));
                return false;
            }
        }
    }

    private static void send(BufferedWriter out, JsonNode message) throws IOException {
        synchronized (out) {
            out.write(JSON.writeValueAsString(message));
            out.write('\n');
            out.flush();
        }
    }

    private void idleWatch(long idleNanos) {
        while (true) {
            try {
                Thread.sleep(5_000);
            } catch (InterruptedException e) {
                return;
            }
            if (connections.get() == 0 && System.nanoTime() - lastActivity.get() > idleNanos) {
                System.out.println("[check-jvm] idle: stopping");
                System.exit(0);
            }
            if (!stillMine()) { // target/ was cleaned, or another check JVM took over: nobody can reach this one
                System.out.println("[check-jvm] " + info + " is gone or names another check JVM: stopping");
                System.exit(0);
            }
        }
    }

    /** True while the info file names this JVM. */
    private boolean stillMine() {
        try {
            return JSON.readTree(info.toFile()).path("pid").asLong() == ProcessHandle.current().pid();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private void cleanUp() {
        try {
            if (stillMine()) {
                Files.deleteIfExists(info);
            }
        } catch (IOException e) {
            // gone already
        }
        lab.close();
        try {
            runner.close();
        } catch (IOException e) {
            // temporary classes only
        }
    }

    /** Ignores a signal (sun.misc.Signal, by reflection: it is the JDK's only way, and unsupported API). */
    private static void ignore(String name) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            signal.getMethod("handle", signal, handler).invoke(null, signal.getConstructor(String.class).newInstance(name),
                    handler.getField("SIG_IGN").get(null));
        } catch (ReflectiveOperationException | RuntimeException noSuchSignal) {
            // Windows has no HUP; a JDK without sun.misc: Ctrl-C then stops this JVM too, and the next check starts one
        }
    }

    /** This process' resident memory in KiB (Linux), or -1. */
    static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }
}
