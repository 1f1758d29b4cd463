import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The runner's side of the check JVM ({@link CheckServer}): finds the one that runs for this course, or builds the
 * course's classes (once, while the sources are unchanged) and starts one; then sends it checks over one connection,
 * which a {@code watch} keeps for its whole session.
 */
final class CheckClient implements Course.Checker, AutoCloseable {
    /** The environment variables that decide the lab: a check JVM started under other values is replaced. */
    private static final List<String> LAB_VARIABLES = List.of("KAFKA_BOOTSTRAP_SERVERS", "KAFKA_CLIENT_PROPERTIES",
            "S3_ENDPOINT", "S3_ACCESS_KEY", "S3_SECRET_KEY", "S3_BUCKET", "CLICKHOUSE_URL", "CLICKHOUSE_USER", "CLICKHOUSE_PASSWORD",
            "COURSE_CHECK_LAB", "LAB_DOCKER");

    private final Path root;
    private final Map<String, String> env;
    private final CheckBuild build;
    private final Consumer<String> say;
    private final LongConsumer tick;
    private Socket socket;
    private BufferedReader in;
    private BufferedWriter out;
    private String token;
    private String lab;

    /** @param say hears progress lines (a first check, a lab starting); {@code tick} elapsed seconds of a long wait */
    CheckClient(Path root, Map<String, String> env, Consumer<String> say, LongConsumer tick) {
        this.root = root;
        this.env = env;
        this.build = new CheckBuild(root, env);
        this.say = say;
        this.tick = tick;
    }

    @Override
    public CheckResult check(CheckResult.Request request, boolean clickhouse, Consumer<String> progress) {
        for (int attempt = 1; ; attempt++) {
            try {
                connect();
                ObjectNode message = CheckResult.JSON.createObjectNode().put("token", token).put("op", "check")
                        .put("clickhouse", clickhouse);
                message.set("request", CheckResult.JSON.valueToTree(request));
                send(message);
                for (String line; (line = in.readLine()) != null; ) {
                    JsonNode answer = CheckResult.JSON.readTree(line);
                    if (answer.has("progress")) {
                        progress.accept(answer.get("progress").asText());
                    } else if (answer.has("result")) {
                        if (answer.path("ending").asBoolean()) {
                            disconnect(); // it ends after this answer (a hung test, or time for a fresh one): the next check starts one
                        }
                        return CheckResult.JSON.treeToValue(answer.get("result"), CheckResult.class);
                    } else {
                        throw new CourseException("The check JVM said: " + answer.path("error").asText(answer.toString()));
                    }
                }
                throw new IOException("the check JVM ended during the check");
            } catch (IOException e) {
                disconnect();
                if (attempt >= 2) {
                    throw new CourseException("The check JVM ended during the check (" + e.getMessage() + "). Did the code"
                            + " call System.exit? Its output: " + root.relativize(build.dir().resolve("check-jvm.log"))
                            + ". The next check starts a new one.");
                }
                say.accept("the check JVM is gone (" + e.getMessage() + "): starting a new one ...");
            }
        }
    }

    /** Where the checks' lab is (from the check JVM), once connected. */
    String lab() {
        return lab;
    }

    /** The running check JVM's pid, resident memory (KiB) and number of checks; null when none runs. */
    JsonNode ping() {
        JsonNode info = readInfo();
        try {
            return info == null || !alive(info) ? null : ((ObjectNode) ask(info, "ping")).put("pid", info.path("pid").asLong());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Stops the running check JVM; false when none ran. */
    boolean stop() {
        disconnect();
        JsonNode info = readInfo();
        if (info == null || !alive(info)) {
            return false;
        }
        try {
            ask(info, "stop");
        } catch (IOException | RuntimeException e) {
            ProcessHandle.of(info.path("pid").asLong()).ifPresent(ProcessHandle::destroy);
        }
        ProcessHandle.of(info.path("pid").asLong()).ifPresent(p -> p.onExit().join());
        return true;
    }

    /** One request on a connection of its own, and its answer. */
    private JsonNode ask(JsonNode info, String op) throws IOException {
        try (Socket s = open(info); var r = reader(s); var w = writer(s)) {
            w.write(CheckResult.JSON.writeValueAsString(CheckResult.JSON.createObjectNode().put("token", readToken()).put("op", op)) + "\n");
            w.flush();
            return CheckResult.JSON.readTree(r.readLine());
        }
    }

    private void connect() throws IOException {
        if (socket != null) {
            return;
        }
        Files.createDirectories(build.dir());
        // one runner at a time decides whether to build and start (a watch and a verify may start together)
        try (FileChannel channel = FileChannel.open(build.dir().resolve("check-jvm.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
            String fingerprint = build.fingerprint();
            String labKey = labKey();
            JsonNode info = readInfo();
            if (info != null && alive(info) && (!info.path("fingerprint").asText().equals(fingerprint)
                    || !info.path("labKey").asText().equals(labKey))) {
                say.accept("the course's sources or lab settings changed: stopping the old check JVM ...");
                stop();
                info = null;
            }
            if (info == null || !alive(info)) {
                if (!build.ready(fingerprint)) {
                    say.accept("first check: building the course's lab, solutions and tests once (./mvnw -q test-compile;"
                            + " a minute or two the very first time, while Maven downloads) ...");
                    build.prepare(fingerprint, tick);
                }
                info = start(fingerprint, labKey);
            }
            socket = open(info);
            token = readToken();
            in = reader(socket);
            out = writer(socket);
            lab = info.path("lab").asText();
        }
    }

    private JsonNode start(String fingerprint, String labKey) throws IOException {
        say.accept("starting the check JVM (compiler, JUnit and the lab, kept warm for the next checks) ...");
        Path info = build.dir().resolve("check-jvm.json");
        Path log = build.dir().resolve("check-jvm.log");
        Files.deleteIfExists(info);
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        String newToken = HexFormat.of().formatHex(secret);
        writePrivate(build.dir().resolve("check-jvm.token"), newToken);
        String idle = env.getOrDefault("COURSE_CHECK_IDLE_MINUTES", "30");
        List<String> command = build.checkJvmCommand(List.of(root.toString(), info.toString(),
                build.dir().resolve("work").toString(), fingerprint, labKey, idle));
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process process = pb.start();
        try (var w = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
            w.write(newToken + "\n");
        }
        long t0 = System.nanoTime();
        int shown = 0;
        while (!Files.exists(info)) {
            if (!process.isAlive()) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                throw new CourseException("The check JVM stopped while starting (exit code " + process.exitValue() + "). The end"
                        + " of its output (" + root.relativize(log) + "):\n    "
                        + String.join("\n    ", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
            }
            // its progress lines ("[check-jvm] ...") as they come
            List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
            for (; shown < lines.size(); shown++) {
                if (lines.get(shown).startsWith("[check-jvm] ") && !lines.get(shown).contains("listening on")) {
                    say.accept(lines.get(shown).substring("[check-jvm] ".length()));
                }
            }
            tick.accept((System.nanoTime() - t0) / 1_000_000_000L);
            sleep(100);
            if (System.nanoTime() - t0 > 300_000_000_000L) {
                process.destroy();
                throw new CourseException("The check JVM did not start within 5 minutes; its output: " + root.relativize(log));
            }
        }
        return readInfo();
    }

    private String labKey() {
        StringBuilder key = new StringBuilder();
        for (String name : LAB_VARIABLES) {
            String v = env.get(name);
            if (v != null && !v.isBlank()) {
                key.append(name).append('=').append(v.strip()).append(';');
            }
        }
        try { // one-way: the key sits in a file, and the settings may hold secret keys
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(key.toString().getBytes(StandardCharsets.UTF_8))).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode readInfo() {
        try {
            return CheckResult.JSON.readTree(build.dir().resolve("check-jvm.json").toFile());
        } catch (IOException e) {
            return null;
        }
    }

    private String readToken() throws IOException {
        return Files.readString(build.dir().resolve("check-jvm.token")).strip();
    }

    private static boolean alive(JsonNode info) {
        return ProcessHandle.of(info.path("pid").asLong()).map(ProcessHandle::isAlive).orElse(false);
    }

    private static Socket open(JsonNode info) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", info.path("port").asInt()), 5000);
        return s;
    }

    private static BufferedReader reader(Socket s) throws IOException {
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
    }

    private static BufferedWriter writer(Socket s) throws IOException {
        return new BufferedWriter(new OutputStreamWriter(s.getOutputStream(), StandardCharsets.UTF_8));
    }

    private void send(JsonNode message) throws IOException {
        out.write(CheckResult.JSON.writeValueAsString(message));
        out.write('\n');
        out.flush();
    }

    /** A file only its owner can read (where the file system knows owners). */
    private static void writePrivate(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private void disconnect() {
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
        socket = null;
    }

    @Override
    public void close() {
        disconnect();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
