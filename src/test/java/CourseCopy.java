import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A copy of the course in a temporary folder for the runner's tests (no git, no target/), the runner driven
 * in-process over it, and the warm checker ({@link CheckRunner}) running in this test JVM against the classes this
 * build compiled (the solved rest) and this JVM's test lab.
 */
final class CourseCopy {
    /** What the copy needs to build and check itself. */
    private static final List<String> FILES = List.of("pom.xml", "mvnw", "mvnw.cmd", ".mvn", "lab", "lessons", "exercises",
            "solutions", "src/test/java", "src/test/resources", "sql", "course.json", "jbang", "jbang.cmd",
            "jbang-catalog.json", "tools/course", "tools/jbang", ".jbang-bootstrap");
    private static CheckRunner runner;

    private CourseCopy() {}

    static Path copy(Path dir) throws IOException {
        Path from = Path.of("").toAbsolutePath();
        for (String entry : FILES) {
            Path src = from.resolve(entry);
            if (!Files.exists(src)) {
                continue;
            }
            if (Files.isDirectory(src)) {
                CheckBuild.copyTree(src, dir.resolve(entry));
            } else {
                Files.createDirectories(dir.resolve(entry).getParent());
                Files.copy(src, dir.resolve(entry), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        return dir;
    }

    /** The runner over {@code course}, writing to {@code output}, with no lab from around this build. */
    static Course runner(Path course, InputStream in, ByteArrayOutputStream output) {
        Course c = new Course(course, environment(), in, new PrintStream(output, true, StandardCharsets.UTF_8), new CourseUi(false, false));
        c.interactive = false;
        return c;
    }

    /** This JVM's environment minus any lab around the build, so nested runs start their own. */
    static Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeIf(k -> k.startsWith("KAFKA_") || k.startsWith("S3_") || k.equals("CLICKHOUSE_URL")
                || k.equals("NO_COLOR") || k.startsWith("COURSE_") || List.of("MAVEN_BASEDIR", "MAVEN_PROJECTBASEDIR",
                "MAVEN_CMD_LINE_ARGS").contains(k));
        env.put("LAB_DOCKER", "never");
        env.put("COURSE_CHECK_LAB", "embedded");
        env.put("COURSE_NO_AUTORUN", "1");
        return env;
    }

    /** The warm checker, in this JVM: one for all tests, so it stays warm like the check JVM. */
    static synchronized Course.Checker checker() throws IOException {
        if (runner == null) {
            List<Path> classpath = new ArrayList<>();
            List<Path> prebuilt = new ArrayList<>();
            String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            for (String entry : cp.split(java.io.File.pathSeparator)) {
                Path p = Path.of(entry);
                classpath.add(p);
                if (Files.isDirectory(p)) {
                    prebuilt.add(p);
                }
            }
            Path work = Files.createDirectories(Path.of("target", "course-runner-test"));
            PrintStream log = new PrintStream(Files.newOutputStream(work.resolve("tests-output.log")), true, StandardCharsets.UTF_8);
            runner = new CheckRunner(classpath, prebuilt, CourseCopy.class.getClassLoader(), work, log);
        }
        LabConfig lab = TestLab.config();
        Map<String, String> props = Map.of("KAFKA_BOOTSTRAP_SERVERS", lab.kafkaBootstrap(), "S3_ENDPOINT", lab.s3Endpoint(),
                "S3_ACCESS_KEY", lab.s3AccessKey(), "S3_SECRET_KEY", lab.s3SecretKey());
        CheckRunner r = runner;
        return (request, clickhouse, progress) -> {
            try {
                return r.check(request, props);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    /** The file of exercise {@code id} (its first) in the copy. */
    static Path exerciseFile(Path course, String id) {
        CourseCatalog.Exercise ex = CourseCatalog.load(course).findExercise(id);
        return course.resolve(ex.exercisePaths().get(0));
    }

    static Path solutionFile(Path course, String id) {
        CourseCatalog.Exercise ex = CourseCatalog.load(course).findExercise(id);
        return course.resolve(ex.solutionPath(ex.files().get(0)));
    }

    /** The line number (from 1) of the first line holding {@code needle}. */
    static int lineOf(Path file, String needle) throws IOException {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(needle)) {
                return i + 1;
            }
        }
        throw new AssertionError(needle + " not in " + file);
    }
}
