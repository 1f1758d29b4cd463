import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The course runner (tools/course), driven in-process over a copy of the course, the way a learner uses it.
 * Only one test runs the real thing (./mvnw -Pexercises test inside the copy, with the embedded lab): the
 * others need no Maven and take milliseconds. They test the runner, not the exercises, so the exercises
 * build (-Pexercises) skips them.
 */
class CourseRunnerTest {
    /** What the copy needs to build and test itself: no lessons, no git, no target/. */
    private static final List<String> COURSE_FILES = List.of("pom.xml", "mvnw", "mvnw.cmd", ".mvn", "lab", "exercises",
            "solutions", "src/test/java", "src/test/resources", "course.json", "jbang-catalog.json", "tools/course");

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    /** How many exercises course.json lists: the progress view counts them all. */
    private static final int EXERCISES = exerciseCount();

    @BeforeEach
    void onlyInTheSolutionsBuild() {
        // the exercises build (-Pexercises) checks the learner's files; the runner is checked once, with the solutions
        Assumptions.assumeFalse("exercises".equals(System.getProperty("course.code")),
                "skipped in the -Pexercises build: it tests the runner, which ./mvnw -B verify covers");
    }

    private static int exerciseCount() {
        try {
            return CourseData.JSON.readTree(Path.of("course.json").toFile()).path("exercises").size();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read course.json", e);
        }
    }

    @Test
    void aFreshCourseWelcomesOnceThenShowsEveryExerciseWithTheFirstOneCurrent(@TempDir Path dir) throws Exception {
        Path course = copyCourse(dir);
        assertThat(run(course, "")).as("exit code").isZero();
        String first = text();
        assertThat(first).as("first run").contains("Welcome to Kafka in Practice!")
                .contains("0 of " + EXERCISES + " exercises done")
                .containsPattern("00  current  The lab")
                .containsPattern("01  pending  A simple producer")
                .contains("[------------------------------] 0%")
                .contains("Next: exercise 00 - The lab")
                .contains("./jbang course run 00")
                .contains("still open: TODO 00.1, 00.2")
                .contains("./jbang course verify");
        assertThat(state(course).path("welcomed").asBoolean()).as("welcome remembered in .course-state.json").isTrue();

        output.reset();
        run(course, "");
        assertThat(text()).as("second run: progress only").doesNotContain("Welcome").contains("0 of " + EXERCISES + " exercises done");
    }

    @Test
    void hintGivesOneMoreHintEachTimeAndRemembersHowMany(@TempDir Path dir) throws Exception {
        Path course = copyCourse(dir);
        List<String> hints = CourseData.loadExercises(course).get(0).hints();
        assertThat(hints).as("hints of exercise 00 in course.json").hasSizeGreaterThanOrEqualTo(2);
        for (int shown = 1; shown <= hints.size() + 1; shown++) {
            output.reset();
            assertThat(run(course, "hint", "00")).isZero();
            String out = text().replaceAll("\\s+", " ");
            int expected = Math.min(shown, hints.size());
            assertThat(out).as("call %d", shown).contains("hint " + expected + " of " + hints.size());
            for (int i = 0; i < hints.size(); i++) {
                String words = hints.get(i).replaceAll("\\s+", " ").substring(0, 40);
                if (i < expected) {
                    assertThat(out).as("call %d shows hint %d", shown, i + 1).contains(words);
                } else {
                    assertThat(out).as("call %d does not show hint %d yet", shown, i + 1).doesNotContain(words);
                }
            }
            assertThat(state(course).path("hints").path("00").asInt()).as("hints shown, in the state file").isEqualTo(expected);
        }
        assertThat(text()).as("after the last one").contains("That was the last hint");
    }

    /** The one test that runs Maven (twice, exercise 00 only: the fastest). */
    @Test
    @Timeout(600)
    void verifyFailsAtTheTodoPassesWithTheSolutionMovesOnAndResetRestoresTheShippedFile(@TempDir Path dir) throws Exception {
        Path course = copyCourse(dir);
        Path exercise = course.resolve("exercises/00_lab/LabCheck.java");
        byte[] shipped = Files.readAllBytes(exercise);
        int todoLine = lineOf(exercise, "TODO 00.1");

        // untouched: fails, and says which TODO and where
        assertThat(run(course, "verify", "00")).as("exit code of a failing verify:\n%s", text()).isEqualTo(1);
        String failed = text();
        assertThat(failed).as("verify on the untouched exercise")
                .contains("FAILED  exercise 00 - The lab: 2 of 2 checks failed")
                .contains("TODO 00.1 is not done yet: describe the cluster in describeCluster()")
                .contains("-> exercises/00_lab/LabCheck.java:" + todoLine)
                .contains("TODO 00.2 is not done yet")
                .contains("Next: do TODO 00.1 in exercises/00_lab/LabCheck.java");
        assertThat(course.resolve("target/exercises/surefire-reports/TEST-Lesson00LabTest.xml")).as("surefire report").isRegularFile();
        assertThat(state(course).path("done")).as("nothing done yet").isEmpty();

        // the solution's file in place of the learner's: passes, is marked done, 01 becomes current
        Files.copy(course.resolve("solutions/00_lab/LabCheck.java"), exercise, StandardCopyOption.REPLACE_EXISTING);
        output.reset();
        assertThat(run(course, "verify", "00")).as("exit code of a passing verify:\n%s", text()).isZero();
        assertThat(text()).as("verify with the solution").contains("PASSED  exercise 00 - The lab: 2 checks pass")
                .contains("Next: exercise 01 - A simple producer");
        assertThat(state(course).path("done").toString()).as("done, in the state file").contains("\"00\"");
        assertThat(state(course).path("current").asText()).as("current exercise").isEqualTo("01");
        output.reset();
        run(course, "list");
        assertThat(text()).as("progress after the pass").contains("1 of " + EXERCISES + " exercises done")
                .containsPattern("00  done +The lab").containsPattern("01  current  A simple producer");

        // reset asks first: no answer, nothing happens
        output.reset();
        assertThat(run(course, new ByteArrayInputStream(new byte[0]), "reset", "00")).as("reset without an answer").isEqualTo(1);
        assertThat(text()).contains("Throw your changes away").contains("Nothing reset");
        assertThat(Files.readAllBytes(exercise)).as("the learner's file is kept")
                .isEqualTo(Files.readAllBytes(course.resolve("solutions/00_lab/LabCheck.java")));

        // --yes: back as shipped, byte for byte, and no longer done
        output.reset();
        assertThat(run(course, "reset", "00", "--yes")).as("reset --yes:\n%s", text()).isZero();
        assertThat(Files.readAllBytes(exercise)).as("exercise 00 as shipped, byte for byte").isEqualTo(shipped);
        assertThat(state(course).path("done")).as("reset clears done").isEmpty();
        assertThat(state(course).path("current").asText()).as("the reset exercise is current again").isEqualTo("00");
    }

    @Test
    void resetAllRestoresEveryExerciseWithoutGit(@TempDir Path dir) throws Exception {
        Path course = copyCourse(dir);
        assertThat(course.resolve(".git")).as("the copy has no git, like a course downloaded as a zip").doesNotExist();
        Map<Path, byte[]> shipped = new HashMap<>();
        for (CourseData.Exercise ex : CourseData.loadExercises(course)) {
            for (String p : ex.exercisePaths()) {
                Path file = course.resolve(p);
                shipped.put(file, Files.readAllBytes(file));
            }
        }
        // a learner's work: one file solved, one edited, one emptied with no newline at the end
        List<Path> files = shipped.keySet().stream().sorted().toList();
        Files.copy(course.resolve("solutions/00_lab/LabCheck.java"), files.get(0), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(files.get(1), Files.readString(files.get(1)).replace("TODO", "DONE") + "// mine");
        assertThat(run(course, new ByteArrayInputStream("n\n".getBytes(StandardCharsets.UTF_8)), "reset", "--all"))
                .as("answered no").isEqualTo(1);
        assertThat(Files.readAllBytes(files.get(0))).as("kept after 'n'").isNotEqualTo(shipped.get(files.get(0)));

        assertThat(run(course, new ByteArrayInputStream("y\n".getBytes(StandardCharsets.UTF_8)), "reset", "--all"))
                .as("answered yes:\n%s", text()).isZero();
        for (Path file : files) {
            assertThat(Files.readAllBytes(file)).as("%s as shipped", file).isEqualTo(shipped.get(file));
        }
        output.reset();
        assertThat(run(course, "reset", "01")).isZero();
        assertThat(text()).as("resetting an untouched exercise").contains("Nothing to reset");
    }

    @Test
    void theShippedExercisesFileIsUpToDate() {
        Path root = Path.of("").toAbsolutePath();
        assertThat(CourseShipped.problems(root, CourseData.loadExercises(root)))
                .as("tools/course/shipped-exercises.json must describe exercises/ as they are: after changing an exercise"
                        + " or its solution, run `./jbang course dev shipped` and commit the file. (Learners: your own"
                        + " edits of exercises/ trip this too; `./jbang course verify` is your check.)")
                .isEmpty();
    }

    @Test
    void doctorSaysWhatToFixWhenTheConfiguredLabDoesNotAnswer(@TempDir Path dir) throws Exception {
        Path course = copyCourse(dir);
        int kafka;
        int s3;
        try (var a = new java.net.ServerSocket(0); var b = new java.net.ServerSocket(0)) {
            kafka = a.getLocalPort();
            s3 = b.getLocalPort();
        }
        Course runner = runner(course, new ByteArrayInputStream(new byte[0]));
        Map<String, String> env = new HashMap<>(runner.env);
        env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + kafka);
        env.put("S3_ENDPOINT", "http://127.0.0.1:" + s3);
        int code = new Course(course, env, runner.in, runner.out, runner.ui).run("doctor");
        assertThat(text()).as("doctor's report")
                .containsPattern("ok +JDK +Java " + Runtime.version().feature())
                .containsPattern("ok +Maven wrapper +Maven 3\\.9")
                .contains("JBang")
                .contains("Docker")
                .containsPattern("FIX +Kafka +127.0.0.1:" + kafka + " \\(from the environment\\) does not answer")
                .containsPattern("FIX +S3 +http://127.0.0.1:" + s3)
                .containsPattern("chDB bridge +not installed \\(needed from lesson 08\\)")
                .contains("To fix:")
                .contains("unset the variable");
        assertThat(code).as("exit code when something needs fixing").isEqualTo(1);

        output.reset();
        env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + kafka);
        assertThat(new Course(course, env, runner.in, runner.out, runner.ui).run("verify", "00"))
                .as("verify refuses at once").isEqualTo(2);
        assertThat(text()).contains("nothing answers at 127.0.0.1:" + kafka).contains("unset the variable");
    }

    @Test
    void patchesRestoreTextsByteForByte() {
        List<String[]> pairs = List.of(
                new String[] {"a\nb\nc\n", "a\nB\nc\n"},
                new String[] {"a\nb\nc", "a\nb\nc\n"},
                new String[] {"a\nb\nc\n", "a\nb\nc"},
                new String[] {"", "x\n"},
                new String[] {"x\n", ""},
                new String[] {"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n", "0\n1\n2\n3\n4\n5\n6x\n7\n8\n9\n10\n11\n12\n13"},
                new String[] {"same\r\nlines\r\n", "same\r\nLINES\r\n"});
        for (String[] p : pairs) {
            List<String> patch = CourseDiff.hunks(p[0], p[1], 2);
            assertThat(CourseDiff.apply(p[0], patch)).as("%s -> %s with %s", p[0], p[1], patch).isEqualTo(p[1]);
        }
        assertThat(CourseDiff.unified("a", "x\n", "b", "x\n", 3)).as("no diff for equal texts").isEmpty();
        assertThat(CourseDiff.unified("a", "x\ny\n", "b", "x\nz\n", 3)).isEqualTo("--- a\n+++ b\n@@ -1,2 +1,2 @@\n x\n-y\n+z\n");
    }

    @Test
    void compilerErrorsAreReadFromMavensOutput(@TempDir Path dir) {
        // what Maven 3.9 prints: the error once plain, then again with javac's detail lines
        String log = "[INFO] Compiling 20 source files\n"
                + "[ERROR] COMPILATION ERROR : \n"
                + "[ERROR] " + dir.resolve("exercises/00_lab/LabCheck.java") + ":[30,9] cannot find symbol\n"
                + "[INFO] 1 error\n"
                + "[ERROR] Failed to execute goal ...:compile (default-compile) on project kafka-in-practice: Compilation failure\n"
                + "[ERROR] " + dir.resolve("exercises/00_lab/LabCheck.java") + ":[30,9] cannot find symbol\n"
                + "[ERROR]   symbol:   variable x\n"
                + "[ERROR]   location: class LabCheck\n"
                + "[ERROR] -> [Help 1]\n";
        assertThat(CourseMaven.compileErrors(dir, log)).as("one error, with its detail lines, once")
                .containsExactly(new CourseMaven.CompileError("exercises/00_lab/LabCheck.java", 30, 9,
                        "cannot find symbol\nsymbol:   variable x\nlocation: class LabCheck"));
    }

    /** watch with the tests stubbed (Maven is covered above): re-checks on a save, moves on after a pass, obeys keys. */
    @Test
    @Timeout(60)
    void watchChecksAgainOnEverySaveMovesOnAfterAPassAndObeysKeys(@TempDir Path dir) throws Exception {
        Path course = copyCourse(dir);
        Path exercise = course.resolve("exercises/00_lab/LabCheck.java");
        PipedOutputStream keys = new PipedOutputStream();
        Course runner = runner(course, new PipedInputStream(keys));
        runner.pollMillis = 50;
        AtomicInteger runs = new AtomicInteger();
        runner.tests = classes -> {
            runs.incrementAndGet();
            String test = classes.get(0);
            CourseData.Exercise ex = runner.exercises.stream().filter(e -> e.test().equals(test)).findFirst().orElseThrow();
            boolean todoLeft = !runner.openTodos(ex).isEmpty();
            String id = ex.id();
            List<CourseMaven.Case> cases = todoLeft
                    ? List.of(new CourseMaven.Case("someCheck", "error", "Todo$NotDoneException",
                            "TODO " + id + ".1 is not done yet: do it (exercises/" + id + "_*, look for 'TODO " + id + ".1')", ""))
                    : List.of(new CourseMaven.Case("someCheck", "passed", "", "", ""));
            CourseMaven.Suite suite = new CourseMaven.Suite(test, 1, 0, todoLeft ? 1 : 0, 0, cases);
            return new CourseMaven.Run(Map.of(test, suite), List.of(), todoLeft ? 1 : 0, "", course.resolve("log"), 5);
        };
        AtomicInteger exit = new AtomicInteger(-1);
        Thread watch = new Thread(() -> exit.set(runner.run("watch")), "watch-under-test");
        watch.start();

        awaitOutput("TODO 00.1 is not done yet: do it");
        assertThat(runs.get()).as("checked once at start").isEqualTo(1);
        Files.copy(course.resolve("solutions/00_lab/LabCheck.java"), exercise, StandardCopyOption.REPLACE_EXISTING);
        awaitOutput("PASSED  exercise 00");
        awaitOutput("TODO 01.1 is not done yet: do it");
        assertThat(state(course).path("current").asText()).as("moved on").isEqualTo("01");

        keys.write("h\n".getBytes(StandardCharsets.UTF_8));
        keys.flush();
        awaitOutput("Exercise 01 - A simple producer: hint 1 of");
        keys.write("x\n".getBytes(StandardCharsets.UTF_8));
        keys.flush();
        awaitOutput("Keys (then Enter)");
        int before = runs.get();
        keys.write("\n".getBytes(StandardCharsets.UTF_8));
        keys.flush();
        awaitCondition(() -> runs.get() == before + 1, "Enter checks again");
        keys.write("q\n".getBytes(StandardCharsets.UTF_8));
        keys.flush();
        watch.join(10_000);
        assertThat(exit.get()).as("watch ends on q:\n%s", text()).isZero();
        keys.close();
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    /**
     * Copies what the course needs to build and run its tests into {@code dir}, with the exercises as shipped
     * (whatever state this folder's own exercises are in).
     */
    static Path copyCourse(Path dir) throws IOException {
        Path from = Path.of("").toAbsolutePath();
        for (String entry : COURSE_FILES) {
            Path src = from.resolve(entry);
            try (Stream<Path> walk = Files.walk(src)) {
                for (Path p : walk.toList()) {
                    Path target = dir.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        }
        Map<String, CourseShipped.Entry> shipped = CourseShipped.load(dir);
        for (CourseData.Exercise ex : CourseData.loadExercises(dir)) {
            for (String p : ex.exercisePaths()) {
                Files.write(dir.resolve(p), CourseShipped.shipped(dir, shipped, p));
            }
        }
        return dir;
    }

    private Course runner(Path course, InputStream in) {
        Map<String, String> env = new HashMap<>(System.getenv());
        // the nested tests start their own embedded lab: nothing from a lab configured around this build
        env.keySet().removeIf(k -> k.startsWith("KAFKA_") || k.startsWith("S3_") || k.equals("CLICKHOUSE_URL")
                || k.equals("NO_COLOR") || List.of("MAVEN_BASEDIR", "MAVEN_PROJECTBASEDIR", "MAVEN_CMD_LINE_ARGS").contains(k));
        env.put("LAB_DOCKER", "never");
        // the outer build has downloaded everything already
        env.put("COURSE_MAVEN_ARGS", "-o -q");
        PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        return new Course(course, env, in, out, new CourseUi(false, false));
    }

    private int run(Path course, String... args) {
        return run(course, new ByteArrayInputStream(new byte[0]), args);
    }

    private int run(Path course, InputStream in, String... args) {
        List<String> list = Stream.of(args).filter(a -> !a.isEmpty()).toList();
        return runner(course, in).run(list.toArray(String[]::new));
    }

    private String text() {
        return output.toString(StandardCharsets.UTF_8);
    }

    private static JsonNode state(Path course) throws IOException {
        Path file = course.resolve(CourseData.STATE_FILE);
        return Files.exists(file) ? CourseData.JSON.readTree(file.toFile()) : CourseData.JSON.createObjectNode();
    }

    private static int lineOf(Path file, String needle) throws IOException {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(needle)) {
                return i + 1;
            }
        }
        throw new AssertionError(needle + " not in " + file);
    }

    private void awaitOutput(String expected) throws InterruptedException {
        awaitCondition(() -> text().contains(expected), "output shows: " + expected);
    }

    private void awaitCondition(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what + "; output so far:\n" + text());
            }
            Thread.sleep(20);
        }
    }
}
