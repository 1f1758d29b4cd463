import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner and a learner's name: asked once when the course points at a shared cluster, kept in the course state,
 * never asked on the learner's own lab; handed to the checks, whose tests then make their names in that namespace.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CourseLearnerTest {
    /** A cluster on the room's network (TEST-NET-1: nothing answers there, and the progress view never connects). */
    private static final Map<String, String> SHARED = Map.of("KAFKA_BOOTSTRAP_SERVERS", "192.0.2.10:9092");
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @BeforeEach
    void onlyInTheSolutionsBuild() {
        Assumptions.assumeFalse("exercises".equals(System.getProperty("course.code")),
                "skipped in the -Pexercises build: it tests the runner, which ./mvnw -B verify covers");
    }

    @Test
    void onASharedClusterTheRunnerAsksTheNameOnceAndKeepsIt(@TempDir Path dir) throws Exception {
        Path course = CourseCopy.copy(dir);
        assertThat(run(course, SHARED, "Al Ice\nalice\ny\n", "list")).as("the progress view, after the name:%n%s", text()).isZero();
        assertThat(text()).as("why it asks").contains("This course points at a shared cluster (Kafka at 192.0.2.10:9092)")
                .as("a name that would not fit every system's names is refused, with what would")
                .contains("'al ice' is not a learner's name: use 1-16 lower-case letters and digits")
                .contains("Share your progress with the teacher's room view")
                .contains("Your names start with alice.").contains("Progress shared.")
                .contains("Kafka in Practice");
        JsonNode state = CourseCatalog.JSON.readTree(Files.readString(course.resolve(CourseState.FILE)));
        assertThat(state.path("learner").asText()).as("kept in .course-state.json").isEqualTo("alice");
        assertThat(state.path("room").asBoolean()).as("the answer to the room question").isTrue();
        assertThat(LabConfig.learnerInCourseState(course.resolve("exercises"))).as("what the lessons read from there").isEqualTo("alice");

        output.reset();
        assertThat(run(course, SHARED, "", "list")).as("asked once only").isZero();
        assertThat(text()).doesNotContain("Your name");
    }

    @Test
    void onASharedClusterWithNoAnswerItSaysHowToGiveTheName(@TempDir Path dir) throws Exception {
        Path course = CourseCopy.copy(dir);
        assertThat(run(course, SHARED, "", "list")).as("no terminal to ask at").isEqualTo(2);
        assertThat(text()).contains("COURSE_LEARNER=<your name>");
        assertThat(course.resolve(CourseState.FILE)).as("nothing kept").satisfiesAnyOf(
                p -> assertThat(p).doesNotExist(), p -> assertThat(Files.readString(p)).doesNotContain("learner"));

        output.reset();
        Map<String, String> bad = new HashMap<>(SHARED);
        bad.put("COURSE_LEARNER", "Bob.Smith");
        assertThat(run(course, bad, "", "list")).isEqualTo(2);
        assertThat(text()).contains("COURSE_LEARNER: 'Bob.Smith' is not a learner's name");
    }

    @Test
    void onTheLearnersOwnLabNothingIsAskedAndNamesStayTheOriginals(@TempDir Path dir) throws Exception {
        Path course = CourseCopy.copy(dir);
        assertThat(run(course, Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092"), "", "list")).isZero();
        assertThat(text()).doesNotContain("shared cluster").doesNotContain("Your name");
        assertThat(Files.readString(course.resolve(CourseState.FILE))).doesNotContain("learner");
    }

    @Test
    void aChecksTestMakesItsNamesInTheLearnersNamespace(@TempDir Path dir) throws Exception {
        Path course = CourseCopy.copy(dir);
        Files.copy(CourseCopy.solutionFile(course, "00.3"), CourseCopy.exerciseFile(course, "00.3"), StandardCopyOption.REPLACE_EXISTING);
        LabConfig lab = TestLab.config();
        String learner = "n" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        Map<String, String> env = new HashMap<>(Map.of("KAFKA_BOOTSTRAP_SERVERS", lab.kafkaBootstrap(), "S3_ENDPOINT", lab.s3Endpoint(),
                "COURSE_LEARNER", learner));
        Course runner = runner(course, env, "");
        runner.checker = CourseCopy.checker();
        assertThat(runner.run("verify", "00.3")).as("00.3 solved passes:%n%s", text()).isZero();
        try (Admin admin = LabKafka.admin(lab)) {
            Set<String> topics = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            assertThat(topics).as("CreateTopicTest's topics, made on %s's behalf", learner)
                    .anyMatch(t -> t.startsWith(learner + ".create-topic-"));
        }
    }

    private int run(Path course, Map<String, String> extra, String typed, String... args) {
        return runner(course, extra, typed).run(args);
    }

    private Course runner(Path course, Map<String, String> extra, String typed) {
        Map<String, String> env = new HashMap<>(CourseCopy.environment());
        env.putAll(extra);
        Course c = new Course(course, env, new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(output, true, StandardCharsets.UTF_8), new CourseUi(false, false));
        c.interactive = false;
        return c;
    }

    private String text() {
        return output.toString(StandardCharsets.UTF_8);
    }
}
