import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The runner's checks: one exercise compiled on its own against the solved rest, its test run through the JUnit
 * Platform in a fresh class loader. A TODO is found from the exception itself; a broken exercise changes no other's
 * verdict; dev check knows an exercise's own TODO from another's; and the check JVM gives the verdicts Maven gives.
 */
class CourseCheckTest {
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @BeforeEach
    void onlyInTheSolutionsBuild() {
        Assumptions.assumeFalse("exercises".equals(System.getProperty("course.code")),
                "skipped in the -Pexercises build: it tests the runner, which ./mvnw -B verify covers");
    }

    @Test
    @Timeout(180)
    void anUntouchedExerciseStopsAtItsOwnTodoWithTheLearnersLineAndItsSolutionPasses(@TempDir Path dir) throws Exception {
        Path course = copy(dir);
        Path exercise = CourseCopy.exerciseFile(course, "00.1");
        int line = CourseCopy.lineOf(exercise, "Todo.todo(\"00.1\", 1");
        assertThat(verify(course, "00.1")).as("exit code of a failing verify:\n%s", text()).isEqualTo(1);
        assertThat(text()).as("verify on the untouched exercise")
                .containsPattern("FAILED  exercise 00\\.1 - .*: \\d+ of \\d+ checks? failed \\(.*\\), at TODO 00\\.1\\.1\\.")
                .contains("TODO 00.1.1 is not done yet: ")
                .contains("exercises/00_lab/1_describe_cluster/" + exercise.getFileName() + ":" + line + "   "
                        + Files.readAllLines(exercise).get(line - 1).strip())
                .contains("Next: do TODO 00.1.1 in exercises/00_lab/1_describe_cluster/" + exercise.getFileName() + ":" + line)
                .contains("Stuck? ./jbang course hint 00.1");

        Files.copy(CourseCopy.solutionFile(course, "00.1"), exercise, StandardCopyOption.REPLACE_EXISTING);
        output.reset();
        assertThat(verify(course, "001")).as("exit code of a passing verify:\n%s", text()).isZero();
        assertThat(text()).containsPattern("PASSED  exercise 00\\.1 - .*: \\d+ checks? pass").contains("Marked done: 1 of ")
                .contains("Next: exercise 00.2 - ");
    }

    @Test
    @Timeout(180)
    void aBrokenExerciseChangesNoOtherVerdictAndShowsItsLineWithACaret(@TempDir Path dir) throws Exception {
        Path course = copy(dir);
        CourseCatalog catalog = CourseCatalog.load(course);
        CheckResult before = check(course, catalog.findExercise("00.2"), "exercises");
        Path broken = CourseCopy.exerciseFile(course, "00.1");
        String text = Files.readString(broken);
        int line = CourseCopy.lineOf(broken, "Todo.todo(\"00.1\"");
        Files.writeString(broken, text.replace("Todo.todo(\"00.1\"", "Todo.todo(\"00.1\" +"));

        CheckResult after = check(course, catalog.findExercise("00.2"), "exercises");
        assertThat(summary(after)).as("00.2's verdict with 00.1 broken").isEqualTo(summary(before));
        assertThat(after.outcome()).as("00.2 untouched").isEqualTo(CheckResult.FAILED);

        assertThat(verify(course, "00.1")).isEqualTo(1);
        String source = Files.readAllLines(broken).get(line - 1);
        assertThat(text()).as("the compile error, on the learner's line")
                .contains("DOES NOT COMPILE  exercise 00.1")
                .contains("exercises/00_lab/1_describe_cluster/" + broken.getFileName() + ":" + line + ":")
                .contains("  " + line + " | " + source.stripTrailing())
                .containsPattern("\n +\\| +\\^")
                .contains("Only this exercise is compiled: the others are not affected.");
    }

    @Test
    @Timeout(300)
    void devCheckPassesAShippedAndSolvedPairAndFindsATodoOfAnotherExercise(@TempDir Path dir) throws Exception {
        Path course = copy(dir);
        Course runner = CourseCopy.runner(course, InputStream.nullInputStream(), output);
        runner.checker = CourseCopy.checker();
        assertThat(runner.run("dev", "check", "00.1", "00.2")).as("dev check:\n%s", text()).isIn(0, 1);
        assertThat(text()).containsPattern("00\\.1  ok +as shipped: stops at TODO 00\\.1\\.1; solved: (\\d+)/\\1 pass")
                .containsPattern("00\\.2  ok +as shipped: stops at TODO 00\\.2\\.1; solved: (\\d+)/\\1 pass");

        // an exercise whose test stops at another exercise's TODO teaches the wrong thing
        Path two = CourseCopy.exerciseFile(course, "00.2");
        Files.writeString(two, Files.readString(two).replace("Todo.todo(\"00.2\", 1", "Todo.todo(\"00.1\", 1"));
        output.reset();
        runner = CourseCopy.runner(course, InputStream.nullInputStream(), output);
        runner.checker = CourseCopy.checker();
        assertThat(runner.run("dev", "check", "00.2")).isEqualTo(1);
        assertThat(text()).containsPattern("00\\.2  FAIL  \\w+ stops at TODO 00\\.1\\.1, another exercise's, not at one of 00\\.2")
                .contains("1 of 1 exercises have problems.");
    }

    /**
     * The warm path through the real check JVM gives Maven's verdicts: on the same files, {@code ./mvnw -Pexercises
     * test} and {@code ./jbang course verify} agree on a solved exercise (00.1) and an untouched one (00.2), check by
     * check, down to the TODO that stopped it.
     */
    @Test
    @Timeout(900)
    void theCheckJvmGivesMavensVerdictsOnASolvedAndAnUntouchedExercise(@TempDir Path dir) throws Exception {
        Path course = copy(dir);
        CourseCatalog catalog = CourseCatalog.load(course);
        Files.copy(CourseCopy.solutionFile(course, "00.1"), CourseCopy.exerciseFile(course, "00.1"), StandardCopyOption.REPLACE_EXISTING);
        List<CourseCatalog.Exercise> exercises = List.of(catalog.findExercise("00.1"), catalog.findExercise("00.2"));

        Map<String, Map<String, String>> maven = mavenVerdicts(course, exercises);

        Map<String, String> env = CourseCopy.environment();
        seedPrebuilt(course, env);
        Map<String, Map<String, String>> warm = new TreeMap<>();
        CheckClient client = new CheckClient(course, env, line -> { }, s -> { });
        try {
            for (CourseCatalog.Exercise ex : exercises) {
                Course runner = CourseCopy.runner(course, InputStream.nullInputStream(), output);
                runner.checker = (request, clickhouse, progress) -> {
                    CheckResult r = client.check(request, clickhouse, progress);
                    warm.put(ex.test(), verdicts(r));
                    return r;
                };
                runner.run("verify", ex.id());
            }
        } finally {
            client.stop();
        }
        assertThat(maven.get(exercises.get(0).test()).values()).as("Maven: solved 00.1 passes").containsOnly("passed");
        assertThat(maven.get(exercises.get(1).test()).values()).as("Maven: untouched 00.2 stops at its TODO").contains("TODO 00.2.1");
        assertThat(warm).as("the check JVM's verdicts, check by check, against Maven's:\n%s", text()).isEqualTo(maven);
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    /** Each check's verdict: "passed", "TODO NN.K.s" or the failure's type. */
    private static Map<String, String> verdicts(CheckResult r) {
        Map<String, String> v = new TreeMap<>();
        for (CheckResult.Case k : r.cases()) {
            v.put(k.method(), !k.failed() ? k.status() : k.failure().isTodo() ? "TODO " + k.failure().todoId()
                    : k.failure().type().replaceFirst(".*[.$]", ""));
        }
        return v;
    }

    private static Map<String, Map<String, String>> mavenVerdicts(Path course, List<CourseCatalog.Exercise> exercises) throws Exception {
        List<String> command = new ArrayList<>(CheckBuild.mavenCommand(course));
        command.addAll(List.of("-o", "-B", "-q", "-Pexercises", "test", "-Dmaven.test.failure.ignore=true",
                "-Dsurefire.failIfNoSpecifiedTests=false",
                "-Dtest=" + String.join(",", exercises.stream().map(CourseCatalog.Exercise::test).toList())));
        ProcessBuilder pb = new ProcessBuilder(command).directory(course.toFile()).redirectErrorStream(true)
                .redirectOutput(course.resolve("maven.log").toFile());
        pb.environment().clear();
        pb.environment().putAll(CourseCopy.environment());
        Process p = pb.start();
        assertThat(p.waitFor(12, TimeUnit.MINUTES)).as("Maven ends").isTrue();
        assertThat(p.exitValue()).as("Maven's exit code:\n%s", Files.readString(course.resolve("maven.log"))).isZero();
        Map<String, Map<String, String>> all = new TreeMap<>();
        for (CourseCatalog.Exercise ex : exercises) {
            Path report = course.resolve("target/exercises/surefire-reports/TEST-" + ex.test() + ".xml");
            NodeList cases = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.toFile()).getElementsByTagName("testcase");
            Map<String, String> v = new TreeMap<>();
            for (int i = 0; i < cases.getLength(); i++) {
                Element tc = (Element) cases.item(i);
                String verdict = "passed";
                NodeList failed = tc.getElementsByTagName("failure").getLength() > 0 ? tc.getElementsByTagName("failure")
                        : tc.getElementsByTagName("error");
                if (failed.getLength() > 0) {
                    Element f = (Element) failed.item(0);
                    String message = f.getAttribute("message");
                    verdict = message.startsWith("TODO ") && message.contains(" is not done yet")
                            ? message.substring(0, message.indexOf(" is not done yet")) : f.getAttribute("type").replaceFirst(".*[.$]", "");
                }
                v.put(tc.getAttribute("name"), verdict);
            }
            all.put(ex.test(), v);
        }
        return all;
    }

    /**
     * The copy's prebuilt classes are the ones this build compiled from the same lab, solutions and tests: put them
     * where the runner keeps them, so the check JVM starts without a second Maven build.
     */
    private static void seedPrebuilt(Path course, Map<String, String> env) throws IOException {
        CheckBuild build = new CheckBuild(course, env);
        Path prebuilt = Files.createDirectories(build.prebuilt());
        List<String> jars = new ArrayList<>();
        for (String entry : System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")).split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p)) {
                CheckBuild.copyTree(p, prebuilt.resolve(p.getFileName().toString().equals("classes") ? "classes" : "test-classes"));
            } else {
                jars.add(entry);
            }
        }
        Files.writeString(prebuilt.resolve("classpath.txt"), String.join(File.pathSeparator, jars));
        Files.writeString(prebuilt.resolve("fingerprint.txt"), build.fingerprint());
    }

    private static CheckResult check(Path course, CourseCatalog.Exercise ex, String code) throws IOException {
        CheckResult.Request request = new CheckResult.Request(ex.id(), course.resolve(code.equals("exercises") ? ex.exerciseDir()
                : ex.solutionDir()).toString(), ex.files(), ex.test(), course.resolve(ex.testSource()).toString(), 120, null);
        return CourseCopy.checker().check(request, false, line -> { });
    }

    /** What must not change: the outcome and each check's verdict. */
    private static Map<String, Object> summary(CheckResult r) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("outcome", r.outcome());
        s.put("checks", verdicts(r));
        return s;
    }

    private int verify(Path course, String id) throws IOException {
        Course runner = CourseCopy.runner(course, InputStream.nullInputStream(), output);
        runner.checker = CourseCopy.checker();
        return runner.run("verify", id);
    }

    private static Path copy(Path dir) throws IOException {
        return CourseCopy.copy(dir);
    }

    private String text() {
        return output.toString(StandardCharsets.UTF_8);
    }
}
