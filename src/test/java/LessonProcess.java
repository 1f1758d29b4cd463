import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A lesson script run the way a learner runs it, as a JVM of its own, without JBang: its file compiled once against
 * this build's classes (the lab and the solutions its //SOURCES name), started with its //MAIN and //JAVA_OPTIONS, in
 * a folder of the learner's (where it records that it ran), with the environment a learner would set.
 */
final class LessonProcess {
    /** What one run printed (stdout and stderr, in order) and how it ended. */
    record Result(String lesson, int exitCode, String output, long millis) {}

    private static final Map<Path, Path> COMPILED = new HashMap<>();

    private LessonProcess() {}

    /** Runs {@code script} (lessons/NN_slug.java of this build's tree) in {@code folder} with {@code env} and {@code args}. */
    static Result run(Path script, Path folder, Map<String, String> env, List<String> args, long timeoutMinutes) throws Exception {
        Path classes = compile(script);
        String source = Files.readString(script);
        String main = source.lines().filter(l -> l.startsWith("//MAIN ")).map(l -> l.substring(7).trim()).findFirst()
                .orElseThrow(() -> new IllegalStateException(script + " names no //MAIN"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx512m"));
        source.lines().filter(l -> l.startsWith("//JAVA_OPTIONS ")).forEach(l -> command.addAll(List.of(l.substring(15).trim().split("\\s+"))));
        command.addAll(List.of("-cp", classes + File.pathSeparator + testClasspath(), main));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        for (String keep : List.of("PATH", "HOME", "TMPDIR", "JAVA_HOME")) {
            if (System.getenv(keep) != null) {
                pb.environment().put(keep, System.getenv(keep));
            }
        }
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        Process p = pb.start();
        p.getOutputStream().close();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (var in = p.getInputStream()) {
                in.transferTo(out);
            } catch (IOException stopped) {
                // the lesson was stopped: keep what it printed
            }
        }, "lesson-output");
        reader.start();
        boolean ended = p.waitFor(timeoutMinutes, TimeUnit.MINUTES);
        if (!ended) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        reader.join(10_000);
        String printed = out.toString(StandardCharsets.UTF_8) + (ended ? "" : "\n(stopped after " + timeoutMinutes + " min)");
        return new Result(script.getFileName().toString(), ended ? p.exitValue() : -1, printed, (System.nanoTime() - t0) / 1_000_000);
    }

    /** The lesson's classes, compiled once per test JVM (the lesson's //SOURCES are on this build's class path). */
    static synchronized Path compile(Path script) throws IOException {
        Path done = COMPILED.get(script.toAbsolutePath());
        if (done != null) {
            return done;
        }
        Path out = Files.createTempDirectory("lesson-classes");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter errors = new StringWriter();
        boolean ok = javac.getTask(errors, null, null, List.of("-encoding", "UTF-8", "-proc:none", "-nowarn", "-d", out.toString(),
                "-cp", testClasspath()), null, javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)
                .getJavaFileObjects(script.toFile())).call();
        if (!ok) {
            throw new IllegalStateException("Could not compile " + script + ":\n" + errors);
        }
        COMPILED.put(script.toAbsolutePath(), out);
        return out;
    }

    private static String testClasspath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }
}
