//SOURCES ../../lab/LabConfig.java ../../lab/LabException.java ../../lab/kafka/LabKafka.java ../../lab/lake/LabS3.java
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * {@code course doctor}: is everything there that the course needs, and what to do about what is not.
 * Each check prints one line: ok, info (fine either way) or FIX, then a list of what to fix.
 */
final class CourseDoctor {
    private final Path root;
    private final Map<String, String> env;
    private final PrintStream out;
    private final CourseUi ui;
    private final List<String> fixes = new ArrayList<>();

    CourseDoctor(Path root, Map<String, String> env, PrintStream out, CourseUi ui) {
        this.root = root;
        this.env = env;
        this.out = out;
        this.ui = ui;
    }

    /** Runs every check; 0 when nothing needs fixing. */
    int run() {
        out.println(ui.bold("Checking what the course needs") + " (" + root + ")");
        jdk();
        mavenWrapper();
        jbang();
        docker();
        lab();
        chdb();
        checkJvm();
        out.println();
        if (fixes.isEmpty()) {
            out.println(ui.green("All good.") + " Start or continue with ./jbang course");
            return 0;
        }
        out.println(ui.bold("To fix:"));
        fixes.forEach(f -> out.println("  - " + f.replace("\n", "\n    ")));
        return 1;
    }

    private void ok(String what, String detail) {
        out.printf("  %s %-13s %s%n", ui.green("ok  "), what, detail);
    }

    private void info(String what, String detail) {
        out.printf("  %s %-13s %s%n", ui.dim("--  "), what, detail);
    }

    private void fix(String what, String detail, String todo) {
        out.printf("  %s %-13s %s%n", ui.red("FIX "), what, detail);
        fixes.add(todo);
    }

    private void jdk() {
        int feature = Runtime.version().feature();
        String detail = "Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "?") + ") at "
                + System.getProperty("java.home");
        if (feature < 17) {
            fix("JDK", detail, "Install a JDK 17 or newer (e.g. Temurin from adoptium.net) and set JAVA_HOME to it.");
        } else if (javax.tools.ToolProvider.getSystemJavaCompiler() == null) {
            fix("JDK", detail + " has no compiler", "This Java is a runtime without javac: install a full JDK 17+ and set JAVA_HOME to it.");
        } else {
            ok("JDK", detail);
        }
    }

    private void mavenWrapper() {
        Path script = root.resolve(CheckBuild.isWindows() ? "mvnw.cmd" : "mvnw");
        Path props = root.resolve(".mvn/wrapper/maven-wrapper.properties");
        if (!Files.isRegularFile(script) || !Files.isRegularFile(props)) {
            fix("Maven wrapper", "missing (" + (Files.isRegularFile(script) ? props : script) + ")",
                    "The Maven wrapper (mvnw, mvnw.cmd, .mvn/) is missing: download the course again.");
            return;
        }
        String url = "";
        try (InputStream in = Files.newInputStream(props)) {
            Properties p = new Properties();
            p.load(in);
            url = p.getProperty("distributionUrl", "");
        } catch (IOException e) {
            // reported below as an unknown version
        }
        String name = url.replaceFirst(".*/", "").replaceFirst("-bin\\.zip$", "");
        String version = name.replaceFirst("^apache-maven-", "");
        Path m2 = Path.of(env.getOrDefault("MAVEN_USER_HOME", System.getProperty("user.home") + "/.m2"));
        boolean fetched = Files.isDirectory(m2.resolve("wrapper/dists").resolve(name));
        String detail = "Maven " + (version.isEmpty() ? "?" : version) + ", "
                + (fetched ? "already fetched" : "fetched from Maven Central on first use");
        if (!CheckBuild.isWindows() && !Files.isExecutable(script)) {
            fix("Maven wrapper", detail + "; ./mvnw is not executable",
                    "Make the scripts executable: chmod +x mvnw jbang   (the course runner works without it)");
        } else {
            ok("Maven wrapper", detail);
        }
    }

    private void jbang() {
        Path wrapper = root.resolve(CheckBuild.isWindows() ? "jbang.cmd" : "jbang");
        String version = "?";
        try {
            for (String line : Files.readAllLines(root.resolve("jbang"))) {
                if (line.startsWith("JBANG_VERSION=")) {
                    version = line.substring("JBANG_VERSION=".length()).replaceFirst("\\s.*", "");
                }
            }
        } catch (IOException e) {
            // reported below
        }
        if (!Files.isRegularFile(wrapper)) {
            fix("JBang", wrapper + " is missing", "The JBang wrapper (jbang, jbang.cmd) is missing: download the course again.");
            return;
        }
        boolean bootstrapped = Files.isRegularFile(root.resolve(".jbang-bootstrap/" + version + "/jbang-cli-" + version + ".jar"));
        String onPath = which("jbang");
        String detail = onPath != null ? "jbang on the PATH (" + onPath + ") is used by ./jbang"
                : bootstrapped ? "JBang " + version + " in .jbang-bootstrap/"
                : "JBang " + version + " is fetched from Maven Central by the first ./jbang";
        if (!CheckBuild.isWindows() && !Files.isExecutable(wrapper)) {
            fix("JBang", detail + "; ./jbang is not executable", "Make the scripts executable: chmod +x mvnw jbang");
        } else {
            ok("JBang", detail);
        }
    }

    private void docker() {
        if (which("docker") == null) {
            info("Docker", "not installed: fine, the embedded lab needs no Docker");
            return;
        }
        try {
            Process p = new ProcessBuilder("docker", "info", "--format", "{{.ServerVersion}}").redirectErrorStream(true).start();
            if (!p.waitFor(8, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                info("Docker", "the client is there, the engine does not answer: fine, the embedded lab needs no Docker");
                return;
            }
            String answer = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.exitValue() == 0 && !answer.isEmpty()) {
                info("Docker", "engine " + answer + " answers: `docker compose up -d` is the other way to run the lab");
            } else {
                info("Docker", "the client is there, no engine answers: fine, the embedded lab needs no Docker");
            }
        } catch (IOException e) {
            info("Docker", "cannot run docker (" + e.getMessage() + "): fine, the embedded lab needs no Docker");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void lab() {
        LabConfig lab = LabConfig.from(env::get);
        boolean fromEnv = !lab.origin().equals("local lab defaults");
        // Kafka
        String kafka = lab.kafkaFirstAddress();
        if (listening(kafka)) {
            try {
                LabKafka.ClusterInfo c = LabKafka.probe(lab, Duration.ofSeconds(4));
                ok("Kafka", lab.kafkaBootstrap() + " answers: cluster " + c.clusterId() + ", " + c.brokers() + " broker(s)"
                        + (fromEnv ? " (from the environment)" : ""));
            } catch (LabException e) {
                fix("Kafka", kafka + " is taken, but no Kafka broker answers there",
                        fromEnv && !lab.kafkaIsLocalDefault()
                                ? "KAFKA_BOOTSTRAP_SERVERS points at " + lab.kafkaBootstrap() + ": something answers there,"
                                        + " but not Kafka (or not with these client settings). Check the address, or unset it."
                                : "Something that is not Kafka holds " + kafka + ". Find it (`ss -ltnp | grep :" + port(kafka)
                                        + "` or `lsof -i :" + port(kafka) + "`) and stop it, or run the lab on other ports:"
                                        + " ./jbang lab up --kafka-port 19092 --s3-port 19000");
            }
        } else if (fromEnv && !lab.kafkaIsLocalDefault()) {
            fix("Kafka", lab.kafkaBootstrap() + " (from the environment) does not answer",
                    "KAFKA_BOOTSTRAP_SERVERS points at " + lab.kafkaBootstrap() + ", where nothing answers: start that"
                            + " cluster, or unset the variable (the tests then start their own lab).");
        } else {
            ok("Kafka", kafka + " is free: `./jbang lab up` can start the lab there (tests start their own)");
            if (kafka.equals(LabConfig.DEFAULT_KAFKA_BOOTSTRAP) && listening("127.0.0.1:9093")) {
                fix("Kafka", "127.0.0.1:9093 (the lab's Kafka controller port) is taken",
                        "Port 9093 is taken: `./jbang lab up` needs it for Kafka's controller. Free it, or start the lab"
                                + " with `./jbang lab up --controller-port <port>`.");
            }
        }
        // S3
        URI s3 = lab.s3Uri();
        String s3Address = s3.getHost() + ":" + (s3.getPort() > 0 ? s3.getPort() : 80);
        if (listening(s3Address)) {
            try {
                List<String> buckets = LabS3.probe(lab);
                ok("S3", lab.s3Endpoint() + " answers: buckets " + buckets
                        + (buckets.contains(lab.bucket()) ? "" : " (the bucket '" + lab.bucket() + "' is created when needed)"));
            } catch (LabException e) {
                fix("S3", lab.s3Endpoint() + ": " + e.getMessage().lines().findFirst().orElse(""),
                        e.getMessage().contains("refused the keys") ? e.getMessage()
                                : fromEnv && !lab.s3Endpoint().equals(LabConfig.DEFAULT_S3_ENDPOINT)
                                ? "S3_ENDPOINT points at " + lab.s3Endpoint() + ": something answers there, but not an S3"
                                        + " server. Check the address, or unset it."
                                : "Something that is not the lab's S3 server holds " + s3Address + ": stop it, or run the lab"
                                        + " on other ports (./jbang lab up --s3-port 19000) and set S3_ENDPOINT.");
            }
        } else if (fromEnv && !lab.s3Endpoint().equals(LabConfig.DEFAULT_S3_ENDPOINT)) {
            fix("S3", lab.s3Endpoint() + " (from the environment) does not answer",
                    "S3_ENDPOINT points at " + lab.s3Endpoint() + ", where nothing answers: start that server, or unset"
                            + " the variable (the tests then start their own lab).");
        } else {
            ok("S3", s3Address + " is free: `./jbang lab up` can start S3 there");
        }
    }

    private void chdb() {
        Path bridge = root.resolve("tools/chdb");
        boolean installed = Files.isDirectory(bridge.resolve("node_modules/chdb"));
        if (installed) {
            ok("chDB bridge", "installed in tools/chdb (ClickHouse without Docker)");
        } else {
            String node = which("node");
            info("chDB bridge", "not installed (needed from lesson 08)"
                    + (node == null ? "; Node.js is not on the PATH either (the bridge needs it)" : ""));
        }
    }

    /** The warm check JVM of `verify` and `watch`: running or not, its memory and lab; whether the course is built. */
    private void checkJvm() {
        CheckBuild build = new CheckBuild(root, env);
        boolean built = build.ready(build.fingerprint());
        com.fasterxml.jackson.databind.JsonNode ping = new CheckClient(root, env, line -> { }, s -> { }).ping();
        if (ping == null) {
            info("check JVM", "not running: the first check starts it" + (built ? "" : " (and builds the course once with Maven)"));
        } else {
            info("check JVM", "running, pid " + ping.path("pid").asLong() + ", " + ping.path("rssKb").asLong() / 1024 + " MB resident, "
                    + ping.path("checks").asInt() + " checks so far (`./jbang course stop` stops it)");
            info("", "lab of the checks: " + ping.path("lab").asText());
        }
    }

    /** True when something accepts TCP connections at host:port. */
    static boolean listening(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))), 1000);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String port(String hostPort) {
        return hostPort.substring(hostPort.lastIndexOf(':') + 1);
    }

    private String which(String program) {
        String path = env.getOrDefault("PATH", env.getOrDefault("Path", ""));
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            for (String ext : CheckBuild.isWindows() ? List.of(".exe", ".cmd", ".bat") : List.of("")) {
                Path p = Path.of(dir, program + ext);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        return null;
    }
}
