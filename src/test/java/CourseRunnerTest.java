import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The course runner (tools/course), driven in-process over a copy of the course the way a learner uses it: the
 * progress view, ids, hints, reset without git, doctor, a lesson that ran to its end, watch. Checks run in this JVM
 * through the same warm checker the check JVM uses ({@link CourseCopy#checker}); CourseCheckTest covers the checks.
 */
class CourseRunnerTest {
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private static final int EXERCISES = CourseCatalog.load(Path.of("")).exercises.size();

    @BeforeEach
    void onlyInTheSolutionsBuild() {
        // the exercises build (-Pexercises) checks the learner's files; the runner is checked once, with the solutions
        Assumptions.assumeFalse("exercises".equals(System.getProperty("course.code")),
                "skipped in the -Pexercises build: it tests the runner, which ./mvnw -B verify covers");
    }

    @Test
    void aFreshCourseWelcomesOnceThenListsEveryLessonWithItsExercises(@TempDir Path dir) throws Exception {
        Path course = copy(dir);
        assertThat(run(course, "")).as("exit code").isZero();
        String first = text();
        assertThat(first).as("first run").contains("Welcome to Kafka in Practice!")
                .contains("0 of " + EXERCISES + " exercises done")
                .contains("[------------------------------] 0%")
                .containsPattern("00  The lab")
                .containsPattern("00\\.1  current  Describe the cluster")
                .containsPattern("00\\.2  pending  ")
                .containsPattern("10  Recommendations +narrated: ./jbang course run 10")
                .contains("Next: exercise 00.1 - ")
                .contains("./jbang course run 00   (or ./jbang lesson00)")
                .contains("exercises/00_lab/1_describe_cluster/")
                .contains("./jbang course verify");
        assertThat(state(course).path("welcomed").asBoolean()).as("welcome remembered in .course-state.json").isTrue();

        output.reset();
        run(course, "");
        assertThat(text()).as("second run: progress only").doesNotContain("Welcome").contains("0 of " + EXERCISES + " exercises done");
    }

    @Test
    void anExerciseIsNamedByItsIdItsShortIdOrItsSlugAndANarratedLessonIsALessonToo(@TempDir Path dir) throws Exception {
        CourseCatalog catalog = CourseCatalog.load(copy(dir));
        CourseCatalog.Exercise flush = catalog.findExercise("06.4");
        assertThat(flush).as("06.4 in course.json").isNotNull();
        assertThat(catalog.findExercise("064")).as("NNK").isEqualTo(flush);
        assertThat(catalog.findExercise("6.4")).as("N.K").isEqualTo(flush);
        assertThat(catalog.findExercise(flush.slug())).as("slug").isEqualTo(flush);
        assertThat(flush.exerciseDir()).as("folder by convention").isEqualTo("exercises/06_s3_sink/4_flush_order");
        assertThat(flush.testSource()).isEqualTo("src/test/java/exercises/06_s3_sink/" + flush.test() + ".java");
        assertThat(catalog.findLesson("10")).as("lesson 10, narrated").isNotNull()
                .satisfies(l -> assertThat(l.exercises()).isEmpty());
        assertThat(catalog.findLesson("lesson10")).isEqualTo(catalog.findLesson("10"));
        assertThat(catalog.findLesson("6").script()).isEqualTo("lessons/06_s3_sink.java");

        assertThat(run(dir, "verify", "10")).as("verify of a narrated lesson").isZero();
        assertThat(text()).contains("Lesson 10 - Recommendations is narrated").contains("./jbang course run 10");
        output.reset();
        assertThat(run(dir, "hint", "06")).as("a lesson where an exercise is needed").isEqualTo(2);
        assertThat(text()).contains("Lesson 06 has exercises 06.1, 06.2, 06.3, 06.4, 06.5: give one");
        output.reset();
        assertThat(run(dir, "run", "99")).isEqualTo(2);
        assertThat(text()).contains("There is no lesson '99'").contains("00 01 02");
    }

    @Test
    void hintGivesOneMoreHintEachTimeAndRemembersHowMany(@TempDir Path dir) throws Exception {
        Path course = copy(dir);
        List<String> texts = CourseCatalog.load(course).findExercise("00.1").hints();
        assertThat(texts).as("hints of 00.1 in course.json").hasSizeGreaterThanOrEqualTo(2);
        for (int shown = 1; shown <= texts.size() + 1; shown++) {
            output.reset();
            assertThat(run(course, "hint", "00.1")).isZero();
            String out = text().replaceAll("\\s+", " ");
            int expected = Math.min(shown, texts.size());
            assertThat(out).as("call %d", shown).contains("hint " + expected + " of " + texts.size());
            for (int i = 0; i < texts.size(); i++) {
                if (i < expected) {
                    assertThat(out).as("call %d shows hint %d", shown, i + 1).contains(texts.get(i).replaceAll("\\s+", " "));
                } else {
                    assertThat(out).as("call %d does not show hint %d yet", shown, i + 1).doesNotContain(texts.get(i).replaceAll("\\s+", " "));
                }
            }
            assertThat(state(course).path("hints").path("00.1").asInt()).as("hints shown, in the state file").isEqualTo(expected);
        }
        assertThat(text()).as("after the last one").contains("That was the last hint");
    }

    @Test
    void resetCopiesTheShippedFileBackWithoutGit(@TempDir Path dir) throws Exception {
        Path course = copy(dir);
        assertThat(course.resolve(".git")).as("the copy has no git, like a course downloaded as a zip").doesNotExist();
        Path one = CourseCopy.exerciseFile(course, "00.1");
        Path two = CourseCopy.exerciseFile(course, "00.2");
        byte[] shippedOne = Files.readAllBytes(one);
        byte[] shippedTwo = Files.readAllBytes(two);
        run(course, "list"); // the runner's first look keeps its copy of every exercise as shipped
        Files.copy(CourseCopy.solutionFile(course, "00.1"), one, StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(two, Files.readString(two) + "// mine, and no newline at the end");

        output.reset();
        assertThat(run(course, new ByteArrayInputStream(new byte[0]), "reset", "00.1")).as("reset without an answer").isEqualTo(1);
        assertThat(text()).contains("These files differ from how they were shipped").contains("Throw your changes away").contains("Nothing reset");
        assertThat(Files.readAllBytes(one)).as("the learner's file is kept").isNotEqualTo(shippedOne);

        output.reset();
        assertThat(run(course, "reset", "00.1", "--yes")).as("reset --yes:\n%s", text()).isZero();
        assertThat(Files.readAllBytes(one)).as("00.1 as shipped, byte for byte").isEqualTo(shippedOne);
        assertThat(Files.readAllBytes(two)).as("00.2 untouched by a reset of 00.1").isNotEqualTo(shippedTwo);
        assertThat(state(course).path("current").asText()).as("the reset exercise is current").isEqualTo("00.1");

        output.reset();
        assertThat(run(course, new ByteArrayInputStream("y\n".getBytes(StandardCharsets.UTF_8)), "reset", "00")).as("a lesson's").isZero();
        assertThat(Files.readAllBytes(two)).as("00.2 as shipped after `reset 00`").isEqualTo(shippedTwo);
        output.reset();
        assertThat(run(course, "reset", "--all", "--yes")).isZero();
        assertThat(text()).as("resetting untouched exercises").contains("Nothing to reset");
    }

    @Test
    void doctorSaysWhatToFixWhenTheConfiguredLabDoesNotAnswer(@TempDir Path dir) throws Exception {
        Path course = copy(dir);
        int kafka;
        int s3;
        try (var a = new java.net.ServerSocket(0); var b = new java.net.ServerSocket(0)) {
            kafka = a.getLocalPort();
            s3 = b.getLocalPort();
        }
        Map<String, String> env = CourseCopy.environment();
        env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + kafka);
        env.put("S3_ENDPOINT", "http://127.0.0.1:" + s3);
        Course runner = CourseCopy.runner(course, new ByteArrayInputStream(new byte[0]), output);
        int code = new Course(course, env, runner.in, runner.out, runner.ui).run("doctor");
        assertThat(text()).as("doctor's report")
                .containsPattern("ok +JDK +Java " + Runtime.version().feature())
                .containsPattern("ok +Maven wrapper +Maven 3\\.9")
                .containsPattern("FIX +Kafka +127.0.0.1:" + kafka + " \\(from the environment\\) does not answer")
                .containsPattern("FIX +S3 +http://127.0.0.1:" + s3)
                .containsPattern("check JVM +not running: the first check starts it")
                .contains("To fix:")
                .contains("unset the variable");
        assertThat(code).as("exit code when something needs fixing").isEqualTo(1);

        output.reset();
        assertThat(new Course(course, env, runner.in, runner.out, runner.ui).run("verify", "00.1")).as("verify refuses at once").isEqualTo(2);
        assertThat(text()).contains("nothing answers at 127.0.0.1:" + kafka).contains("unset the variable");
    }

    /** Issue 10.4: a newcomer whose lesson 00 failed is offered it again until it has run to its end once. */
    @Test
    @Timeout(300)
    void courseStartsLesson00UntilItHasRunToItsEnd(@TempDir Path dir) throws Exception {
        Path course = copy(dir);
        // a lesson 00 that ends as the environment says, through the real Lesson.run (JBang builds it once)
        Files.writeString(course.resolve("lessons/00_lab.java"), """
                ///usr/bin/env jbang "$0" "$@" ; exit $?
                //JAVA 17+
                //SOURCES ../lab/teaching/Lesson.java
                class LabLesson {
                    public static void main(String[] args) throws Exception {
                        Lesson.run("00", lab -> Integer.parseInt(System.getenv().getOrDefault("LESSON_EXIT", "0")));
                    }
                }
                """);
        Map<String, String> env = CourseCopy.environment();
        env.remove("COURSE_NO_AUTORUN");
        env.put("LESSON_EXIT", "2");
        java.io.PrintStream out = new java.io.PrintStream(output, true, StandardCharsets.UTF_8);
        Course first = new Course(course, env, new ByteArrayInputStream(new byte[0]), out, new CourseUi(false, false));
        first.interactive = true;
        assertThat(first.run()).as("lesson 00 failed:\n%s", text()).isEqualTo(2);
        assertThat(text()).contains("Welcome").contains("Starting lesson 00 - The lab now.");
        assertThat(state(course).path("lessonsFinished")).as("not recorded after a failure").isEmpty();

        output.reset();
        env.put("LESSON_EXIT", "0");
        Course second = new Course(course, env, first.in, first.out, first.ui);
        second.interactive = true;
        assertThat(second.run()).as("lesson 00 again:\n%s", text()).isZero();
        assertThat(text()).doesNotContain("Welcome").contains("Starting lesson 00 - The lab now (it has not run to its end yet).");
        assertThat(state(course).path("lessonsFinished").toString()).as("recorded by the lesson itself").contains("\"00\"");

        output.reset();
        Course third = new Course(course, env, first.in, first.out, first.ui);
        third.interactive = true;
        assertThat(third.run()).isZero();
        assertThat(text()).as("no lesson any more, the progress with lesson 00 run").doesNotContain("Starting lesson")
                .containsPattern("00  The lab +\\(lesson run\\)");
    }

    /** watch with the real warm checker: checks on start, again on a save, moves on after a pass, obeys keys. */
    @Test
    @Timeout(180)
    void watchChecksAgainOnEverySaveMovesOnAfterAPassAndObeysKeys(@TempDir Path dir) throws Exception {
        Path course = copy(dir);
        PipedOutputStream keys = new PipedOutputStream();
        Course runner = CourseCopy.runner(course, new PipedInputStream(keys), output);
        runner.pollMillis = 50;
        AtomicInteger checks = new AtomicInteger();
        Course.Checker real = CourseCopy.checker();
        runner.checker = (request, clickhouse, progress) -> {
            checks.incrementAndGet();
            return real.check(request, clickhouse, progress);
        };
        AtomicInteger exit = new AtomicInteger(-1);
        Thread watch = new Thread(() -> exit.set(runner.run("watch")), "watch-under-test");
        watch.start();

        awaitOutput("TODO 00.1.1 is not done yet");
        assertThat(checks.get()).as("checked once at start").isEqualTo(1);
        Files.copy(CourseCopy.solutionFile(course, "00.1"), CourseCopy.exerciseFile(course, "00.1"), StandardCopyOption.REPLACE_EXISTING);
        awaitOutput("PASSED  exercise 00.1");
        awaitOutput("TODO 00.2.1 is not done yet");
        assertThat(state(course).path("current").asText()).as("moved on").isEqualTo("00.2");

        keys.write("x\n".getBytes(StandardCharsets.UTF_8));
        keys.flush();
        awaitOutput("Keys (then Enter)");
        int before = checks.get();
        keys.write("\n".getBytes(StandardCharsets.UTF_8));
        keys.flush();
        awaitCondition(() -> checks.get() == before + 1, "Enter checks again");
        keys.write("q\n".getBytes(StandardCharsets.UTF_8));
        keys.flush();
        watch.join(20_000);
        assertThat(exit.get()).as("watch ends on q:\n%s", text()).isZero();
        keys.close();
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private static Path copy(Path dir) throws IOException {
        return CourseCopy.copy(dir);
    }

    private int run(Path course, String... args) {
        return run(course, new ByteArrayInputStream(new byte[0]), args);
    }

    private int run(Path course, InputStream in, String... args) {
        Course c = CourseCopy.runner(course, in, output);
        return c.run(List.of(args).stream().filter(a -> !a.isEmpty()).toArray(String[]::new));
    }

    private String text() {
        return output.toString(StandardCharsets.UTF_8);
    }

    private static JsonNode state(Path course) throws IOException {
        Path file = course.resolve(CourseState.FILE);
        return Files.exists(file) ? CourseCatalog.JSON.readTree(Files.readString(file)) : CourseCatalog.JSON.createObjectNode();
    }

    private void awaitOutput(String expected) throws InterruptedException {
        awaitCondition(() -> text().contains(expected), "output shows: " + expected);
    }

    private void awaitCondition(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what + "; output so far:\n" + text());
            }
            Thread.sleep(20);
        }
    }
}
