import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * The solved rest of the course, built once for the check JVM: {@code ./mvnw -q test-compile} compiles the lab,
 * the solutions, the tests and the runner and writes the test class path; the classes are then copied to
 * {@code target/course/prebuilt/} (so a later {@code ./mvnw verify} cannot change them under a running check JVM).
 * A fingerprint of the sources (pom.xml, lab/, solutions/, src/test/, tools/course/) says when to build again;
 * exercises/ is not part of it: the learner's files are compiled by each check.
 */
final class CheckBuild {
    static final String DIR = "target/course";
    /** Where the check JVM keeps what the last check printed (CheckRunner.OUTPUT, in its work folder). */
    static final String CHECK_OUTPUT = "last-check-output.log";
    private static final List<String> SOURCES = List.of("pom.xml", "lab", "solutions", "src/test", "tools/course");

    private final Path root;
    private final Map<String, String> env;

    CheckBuild(Path root, Map<String, String> env) {
        this.root = root;
        this.env = env;
    }

    Path dir() {
        return root.resolve(DIR);
    }

    Path prebuilt() {
        return dir().resolve("prebuilt");
    }

    /** Changes whenever a source the prebuilt classes come from changes (names, sizes, times), or the JDK does. */
    String fingerprint() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Runtime.version().toString().getBytes(StandardCharsets.UTF_8));
            for (String source : SOURCES) {
                Path start = root.resolve(source);
                if (!Files.exists(start)) {
                    continue;
                }
                try (Stream<Path> walk = Files.walk(start)) {
                    for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                        String entry = root.relativize(p) + "|" + Files.size(p) + "|" + Files.getLastModifiedTime(p).toMillis() + "\n";
                        sha.update(entry.getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new CourseException("Cannot read the course's sources: " + e.getMessage());
        }
    }

    /** True when the prebuilt classes belong to these sources. */
    boolean ready(String fingerprint) {
        try {
            return Files.readString(prebuilt().resolve("fingerprint.txt")).strip().equals(fingerprint);
        } catch (IOException e) {
            return false;
        }
    }

    /** Builds and copies the classes; {@code ticker} hears the elapsed seconds while Maven works. */
    void prepare(String fingerprint, LongConsumer ticker) {
        Path log = dir().resolve("maven.log");
        List<String> command = new ArrayList<>(mavenCommand(root));
        command.addAll(List.of("-B", "-q", "test-compile"));
        Arrays.stream(env.getOrDefault("COURSE_MAVEN_ARGS", "").trim().split("\\s+")).filter(s -> !s.isEmpty()).forEach(command::add);
        try {
            Files.createDirectories(dir());
            ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().clear();
            pb.environment().putAll(env);
            // the JDK this runner runs on, rather than whatever java comes first on the PATH
            pb.environment().putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
            long t0 = System.nanoTime();
            Process p = pb.start();
            while (!p.waitFor(1, TimeUnit.SECONDS)) {
                ticker.accept((System.nanoTime() - t0) / 1_000_000_000L);
            }
            if (p.exitValue() != 0) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                throw new CourseException("Maven could not build the course's lab, solutions and tests (exit code "
                        + p.exitValue() + "). The end of its output (all of it: " + root.relativize(log) + "):\n    "
                        + String.join("\n    ", lines.subList(Math.max(0, lines.size() - 25), lines.size()))
                        + "\n  `./jbang course doctor` checks the JDK and Maven; the first build needs Maven Central.");
            }
            Path target = root.resolve("target/solutions");
            deleteRecursively(prebuilt());
            copyTree(target.resolve("classes"), prebuilt().resolve("classes"));
            copyTree(target.resolve("test-classes"), prebuilt().resolve("test-classes"));
            Files.copy(target.resolve("classpath.txt"), prebuilt().resolve("classpath.txt"), StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(prebuilt().resolve("fingerprint.txt"), fingerprint + "\n");
        } catch (IOException e) {
            throw new CourseException("Cannot build the course's classes: " + e.getMessage() + " (the full output: " + log + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CourseException("Interrupted while Maven built the course.");
        }
    }

    /**
     * The command that starts the check JVM: this runner's JDK, the prebuilt classes and the test class path in an
     * argument file (a long class path is too long for a Windows command line).
     */
    List<String> checkJvmCommand(List<String> mainArgs) throws IOException {
        String jars = Files.readString(prebuilt().resolve("classpath.txt")).strip();
        String classpath = prebuilt().resolve("classes") + File.pathSeparator + prebuilt().resolve("test-classes")
                + (jars.isEmpty() ? "" : File.pathSeparator + jars);
        Path args = dir().resolve("check-jvm.args");
        List<String> lines = List.of("-cp", quote(classpath), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Xmx768m", "-XX:+ExitOnOutOfMemoryError", "-Dfile.encoding=UTF-8", "-Djava.awt.headless=true",
                "-Djava.util.logging.config.file=" + quote(root.resolve("src/test/resources/logging.properties").toString()),
                "-Dcourse.code=solutions");
        Files.write(args, lines, StandardCharsets.UTF_8);
        String java = Path.of(System.getProperty("java.home"), "bin", isWindows() ? "java.exe" : "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "@" + args, "CheckServer"));
        command.addAll(mainArgs);
        return command;
    }

    /** An argument file's quoting: double quotes, backslashes doubled. */
    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\") + "\"";
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** ./mvnw (mvnw.cmd on Windows), called through its shell so a zip that lost the executable bit still works. */
    static List<String> mavenCommand(Path root) {
        return isWindows() ? List.of("cmd.exe", "/c", root.resolve("mvnw.cmd").toString()) : List.of("sh", root.resolve("mvnw").toString());
    }

    static boolean isWindows() {
        return System.getProperty("os.name", "").startsWith("Windows");
    }
}
