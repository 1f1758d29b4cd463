import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The teacher's room view over Kafka: learners' runners (each over a copy of the course of their own, with the real warm
 * checker against the test lab) verify and take hints with COURSE_ROOM=on; {@code course room} reads the compacted room
 * topic and shows one line per learner, a line per exercise and where the room is stuck most, live and refreshed.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class CourseRoomTest {
    /** A learner's line: LEARNER EX STATE ON-IT HINTS DONE LAST-EVENT. */
    private static final Pattern ROW = Pattern.compile("^  (\\S+) +(\\d\\d\\.\\d) +(.+?) +(\\d+ s|\\d+ min|\\d+ h \\d+ min) +(\\d+) +(\\d+/\\d+)  (.+)$");

    private final String topic = TestLab.unique("course-room");
    private final int total = CourseCatalog.load(Path.of("")).exercises.size();
    private Path teacherCourse;

    @BeforeEach
    void onlyInTheSolutionsBuild() {
        Assumptions.assumeFalse("exercises".equals(System.getProperty("course.code")),
                "skipped in the -Pexercises build: it tests the runner, which ./mvnw -B verify covers");
    }

    @Test
    void theRoomShowsEachLearnerWhereTheRoomIsStuckAndFollowsItLive(@TempDir Path dir) throws Exception {
        Path ana = learner(dir, "ana");
        Path ben = learner(dir, "ben");
        Path cy = learner(dir, "cy");
        Path eve = learner(dir, "eve");
        Path dee = learner(dir, "dee");
        teacherCourse = learner(dir, "room");
        assertThat(run(ana, "ana", "verify", "01.1")).as("ana: 01.1 untouched").isEqualTo(1);
        assertThat(run(ana, "ana", "hint", "01.1")).isZero();
        Files.copy(CourseCopy.solutionFile(ben, "01.1"), CourseCopy.exerciseFile(ben, "01.1"), StandardCopyOption.REPLACE_EXISTING);
        assertThat(run(ben, "ben", "verify", "01.1")).as("ben: 01.1 solved").isZero();
        assertThat(run(ben, "ben", "verify", "01.2")).as("ben: 01.2 untouched").isEqualTo(1);
        run(ben, "ben", "hint", "01.2");
        run(ben, "ben", "hint", "01.2");
        assertThat(run(cy, "cy", "hint", "01.1")).as("cy: only a hint").isZero();
        assertThat(run(eve, "eve", "verify", "01.2")).as("eve: 01.2 untouched").isEqualTo(1);
        Map<String, String> off = Map.of("COURSE_ROOM", "off");
        assertThat(run(dee, "dee", off, null, "verify", "01.1")).as("dee did not opt in").isEqualTo(1);

        String once = room("--once");
        Map<String, List<String>> rows = rows(once);
        assertThat(rows.keySet()).as("one line per learner who shares progress, dee not among them:%n%s", once)
                .containsExactly("ana", "ben", "cy", "eve");
        assertThat(rows.get("ana")).as("ana's line").containsExactly("01.1", "at TODO 01.1.1", "1", "0/" + total, "hint 1");
        assertThat(rows.get("ben")).as("ben passed 01.1, failed 01.2 at its first TODO, took two hints")
                .containsExactly("01.2", "at TODO 01.2.1", "2", "1/" + total, "hint 2");
        assertThat(rows.get("cy")).as("cy took a hint before any check").containsExactly("01.1", "started", "1", "0/" + total, "hint 1");
        assertThat(rows.get("eve")).containsExactly("01.2", "at TODO 01.2.1", "0", "0/" + total, "verify failed");
        assertThat(once).as("a summary line per exercise:%n%s", once)
                .containsPattern("(?m)^  01\\.1 +The producer's settings.* 2 learners: 1 at TODO 01\\.1\\.1, 1 started; median \\d+ s on it; 2 hints$")
                .containsPattern("(?m)^  01\\.2 +The person message.* 2 learners: 2 at TODO 01\\.2\\.1; median \\d+ s on it; 2 hints$")
                .containsPattern("(?m)^Stuck most: 01\\.2 - 2 learners failing \\(most at TODO 01\\.2\\.1\\), median \\d+ s on it$")
                .contains("a Kafka consumer of the compacted topic " + topic);

        // live: cy's first check arrives while the view runs, and shows up in a refresh
        PipedOutputStream keys = new PipedOutputStream();
        ByteArrayOutputStream live = new ByteArrayOutputStream();
        AtomicInteger exit = new AtomicInteger(-1);
        Path teacher = learner(dir, "teacher");
        PipedInputStream typed = new PipedInputStream(keys);
        Thread view = new Thread(() -> exit.set(runner(teacher, Map.of(), typed, live).run("room", "--refresh", "0.3")), "room-view");
        view.start();
        await(() -> live.toString(StandardCharsets.UTF_8).contains("4 learners sharing progress"), "the first screen", live);
        assertThat(run(cy, "cy", "verify", "01.1")).isEqualTo(1);
        await(() -> live.toString(StandardCharsets.UTF_8).lines().anyMatch(l -> l.matches("^  cy +01\\.1 +at TODO 01\\.1\\.1 .*verify failed.*")),
                "cy's failed check in a refresh", live);
        keys.write("q\n".getBytes(StandardCharsets.UTF_8));
        keys.flush();
        view.join(30_000);
        assertThat(exit.get()).as("q ends the live view").isZero();

        // a tombstone takes a learner out of the room; the topic is compacted, so each learner's last record is what stays
        assertThat(runner(teacher, Map.of(), null, new ByteArrayOutputStream()).run("room", "--forget", "cy")).isZero();
        assertThat(rows(room("--once")).keySet()).containsExactly("ana", "ben", "eve");
        try (Admin admin = LabKafka.admin(TestLab.config())) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            assertThat(admin.describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource).get("cleanup.policy").value())
                    .as("the room's topic keeps the last record per learner").isEqualTo("compact");
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private Path learner(Path dir, String name) throws Exception {
        return CourseCopy.copy(Files.createDirectories(dir.resolve(name)));
    }

    private int run(Path course, String learner, String... args) {
        return run(course, learner, Map.of(), null, args);
    }

    private int run(Path course, String learner, Map<String, String> extra, InputStream in, String... args) {
        Map<String, String> env = new HashMap<>(extra);
        env.put("COURSE_LEARNER", learner);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Course c = runner(course, env, in, out);
        try {
            c.checker = CourseCopy.checker();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return c.run(args);
    }

    /** A runner over {@code course} against the test lab's Kafka, sharing progress in this test's room topic. */
    private Course runner(Path course, Map<String, String> extra, InputStream in, ByteArrayOutputStream out) {
        LabConfig lab = TestLab.config();
        Map<String, String> env = new HashMap<>(CourseCopy.environment());
        env.put("KAFKA_BOOTSTRAP_SERVERS", lab.kafkaBootstrap());
        env.put("S3_ENDPOINT", lab.s3Endpoint());
        env.put("COURSE_ROOM", "on");
        env.put("COURSE_ROOM_TOPIC", topic);
        env.putAll(extra);
        Course c = new Course(course, env, in != null ? in : new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new CourseUi(false, false));
        c.interactive = false;
        return c;
    }

    private String room(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = runner(teacherCourse, Map.of(), null, out).run(java.util.stream.Stream.concat(java.util.stream.Stream.of("room"),
                java.util.stream.Stream.of(args)).toArray(String[]::new));
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as("course room %s:%n%s", List.of(args), text).isZero();
        return text;
    }

    /** learner -> [exercise, state, hints, done, last event without its time]. */
    private static Map<String, List<String>> rows(String room) {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String line : room.lines().toList()) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                rows.put(m.group(1), List.of(m.group(2), m.group(3).strip(), m.group(5), m.group(6), m.group(7).replaceFirst(", [^,]* ago$", "")));
            }
        }
        return rows;
    }

    private static void await(java.util.function.BooleanSupplier condition, String what, ByteArrayOutputStream out) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; the view printed:\n" + out.toString(StandardCharsets.UTF_8));
            }
            Thread.sleep(50);
        }
    }
}
