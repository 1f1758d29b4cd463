///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS com.fasterxml.jackson:jackson-bom:2.20.1@pom
//DEPS com.fasterxml.jackson.core:jackson-databind
//COMPILE_OPTIONS -encoding UTF-8
//SOURCES CourseData.java CourseDiff.java CourseShipped.java CourseMaven.java CourseDoctor.java CourseUi.java CourseException.java
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=error -Dslf4j.provider=org.slf4j.simple.SimpleServiceProvider -Dslf4j.internal.verbosity=WARN

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The course runner, in the spirit of rustlings: {@code ./jbang course} shows where you are, {@code verify}
 * checks your exercise against the real lab, {@code watch} re-checks on every save, {@code hint} helps one
 * step at a time. Progress lives in .course-state.json next to the course.
 */
public class Course {
    static final String USAGE = """
            Usage: ./jbang course [command]        (Windows: jbang.cmd course ...)

              (none)             your progress and the next step (the first time: a welcome, then lesson 00)
              verify [NN]        run the tests of the current exercise (or exercise NN) against your files;
                                 when they pass it is marked done and the next one becomes current
              verify --all       every exercise's tests in one run, as a table (for teachers and workshops)
              watch              verify the current exercise again on every save; keys: Enter re-check,
                                 n next exercise, h hint, l list, q quit (each followed by Enter)
              hint [NN]          one more hint each time you ask
              run NN             run lesson NN (the narrated demo the exercise goes with)
              reset NN | --all   put exercise NN (or all) back as shipped; asks first (--yes: don't ask)
              solution NN        the solution as a diff against your file, once the exercise is done
                                 (--force: show it anyway)
              doctor             check the JDK, Maven, JBang, Docker, the lab's ports, the chDB bridge
              list               the progress view, without the welcome
              help               this text

            Environment: NO_COLOR turns colours off; COURSE_MAVEN_ARGS adds arguments to the ./mvnw call
            (e.g. -o when offline); KAFKA_BOOTSTRAP_SERVERS / S3_ENDPOINT make the tests use that lab.
            For course developers: `./jbang course dev shipped` records the exercises as shipped (for reset).
            """;

    /** Runs the tests of some exercises (Maven in real life; tests of the runner may stand in). */
    interface Tests {
        CourseMaven.Run run(List<String> testClasses);
    }

    final Path root;
    final Map<String, String> env;
    final InputStream in;
    final PrintStream out;
    final CourseUi ui;
    final List<CourseData.Exercise> exercises;
    Tests tests;
    long pollMillis = 500;
    /** True inside `watch`: the next step is "save", not "run verify". */
    private boolean watching;
    private CourseData.State state;
    private BlockingQueue<Optional<String>> keys;

    Course(Path root, Map<String, String> env, InputStream in, PrintStream out, CourseUi ui) {
        this.root = root.toAbsolutePath().normalize();
        this.env = env;
        this.in = in;
        this.out = out;
        this.ui = ui;
        this.exercises = CourseData.loadExercises(this.root);
        List<String> mavenArgs = Arrays.stream(env.getOrDefault("COURSE_MAVEN_ARGS", "").trim().split("\\s+"))
                .filter(s -> !s.isEmpty()).toList();
        this.tests = testClasses -> CourseMaven.run(this.root, testClasses, env, mavenArgs, this::tick);
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        CourseUi ui = CourseUi.detect(env);
        int code;
        try {
            Path root = findRoot(Path.of("").toAbsolutePath(), env);
            code = new Course(root, env, System.in, System.out, ui).run(args);
        } catch (CourseException e) {
            System.out.println(ui.red("Error: ") + e.getMessage());
            code = 2;
        }
        System.out.flush();
        System.exit(code);
    }

    /** The course folder: the nearest folder at or above {@code start} holding course.json and pom.xml. */
    static Path findRoot(Path start, Map<String, String> env) {
        List<Path> starts = new ArrayList<>(List.of(start));
        // ./jbang sets JBANG_LAUNCH_CMD to itself, and it lives in the course folder: works from anywhere
        Optional.ofNullable(env.get("JBANG_LAUNCH_CMD")).map(Path::of).map(Path::getParent).ifPresent(starts::add);
        for (Path from : starts) {
            for (Path p = from.toAbsolutePath(); p != null; p = p.getParent()) {
                if (Files.isRegularFile(p.resolve("course.json")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                    return p;
                }
            }
        }
        throw new CourseException("Cannot find the course: no folder with course.json and pom.xml at or above " + start + ".\n"
                + "  Go to the course folder first, e.g. `cd kafka-in-practice`, then run ./jbang course");
    }

    /** Runs one command; returns the exit code (0 ok, 1 not passed / declined, 2 a problem to fix, 64 usage). */
    int run(String... args) {
        List<String> rest = new ArrayList<>(List.of(args));
        String command = rest.isEmpty() ? "" : rest.remove(0);
        try {
            state = CourseData.State.load(root, out);
            return switch (command) {
                case "" -> {
                    boolean first = !state.welcomed;
                    int code = progress(first);
                    // the very first `./jbang course` at a terminal goes straight into lesson 00, which brings the lab up
                    if (first && code == 0 && System.console() != null && !env.containsKey("COURSE_NO_AUTORUN")
                            && state.current(exercises) != null) {
                        out.println();
                        out.println(ui.bold("Starting lesson " + state.current(exercises).label() + " now.") + " It brings the lab up"
                                + " (no Docker needed) and keeps it running in this window: use another terminal for the next steps.");
                        yield runLesson(state.current(exercises));
                    }
                    yield code;
                }
                case "list", "progress", "status" -> progress(false);
                case "verify", "check" -> rest.contains("--all") ? verifyAll() : verify(exerciseArg(rest, true));
                case "watch" -> watch();
                case "hint" -> hint(exerciseArg(rest, true));
                case "run" -> runLesson(exerciseArg(rest, false));
                case "reset" -> reset(rest);
                case "solution" -> solution(exerciseArg(rest, false), rest.contains("--force"));
                case "doctor" -> new CourseDoctor(root, env, out, ui).run();
                case "dev" -> dev(rest);
                case "help", "--help", "-h" -> {
                    out.print(USAGE);
                    yield 0;
                }
                default -> {
                    out.println("Unknown command '" + command + "'.\n");
                    out.print(USAGE);
                    yield 64;
                }
            };
        } catch (CourseException e) {
            out.println(ui.red("Error: ") + e.getMessage());
            return 2;
        }
    }

    // ---- the progress view ------------------------------------------------------------------------------

    int progress(boolean welcome) {
        if (welcome) {
            out.print("""

                    %s

                    Each exercise goes with a lesson. For each one:
                      1. run the lesson, a narrated demo against the real lab:   ./jbang course run NN
                      2. open the exercise file and do its TODOs (marked `TODO NN.k` in the file)
                      3. check your work against a real Kafka broker and S3 server:
                                                                                 ./jbang course verify
                         or keep `./jbang course watch` open: it re-checks on every save.
                    Until a TODO is done, the test stops at it: "TODO NN.k is not done yet: ...".
                    Stuck? `./jbang course hint` gives one more hint each time. No Docker needed: the tests
                    start their own lab. `./jbang course doctor` checks your machine; `./jbang course help`
                    lists every command. Your progress is kept in .course-state.json.
                    """.formatted(ui.bold("Welcome to Kafka in Practice!")));
            state.welcomed = true;
            state.save(root);
        }
        CourseData.Exercise current = state.current(exercises);
        long doneCount = exercises.stream().filter(state::isDone).count();
        int width = 30;
        int filled = (int) (width * doneCount / exercises.size());
        out.println();
        out.println(ui.bold("Kafka in Practice") + ": " + doneCount + " of " + exercises.size() + " exercises done");
        out.println("  [" + ui.green("#".repeat(filled)) + "-".repeat(width - filled) + "] "
                + (100 * doneCount / exercises.size()) + "%");
        out.println();
        int titleWidth = exercises.stream().mapToInt(e -> e.title().length()).max().orElse(10);
        for (CourseData.Exercise ex : exercises) {
            String status = state.isDone(ex) ? ui.green("done   ") : ex.equals(current) ? ui.yellow("current") : ui.dim("pending");
            String title = String.format("%-" + titleWidth + "s", ex.title());
            String line = "  " + ex.id() + "  " + status + "  "
                    + (ex.equals(current) ? ui.bold(title) + "  " + String.join(", ", ex.exercisePaths()) : title);
            out.println(line.stripTrailing());
        }
        out.println();
        printNextStep(current);
        return 0;
    }

    private void printNextStep(CourseData.Exercise current) {
        if (current == null) {
            out.println(ui.green("Every exercise is done. Well done!") + " Compare with the solutions:"
                    + " ./jbang course solution NN; the lessons stay runnable: ./jbang course run NN");
            return;
        }
        out.println(ui.bold("Next: exercise " + current.label()));
        out.println("  1. see the lesson:      ./jbang course run " + current.id() + "   (or ./jbang " + current.alias() + ")");
        List<String> open = openTodos(current);
        out.println("  2. do the TODOs in:     " + String.join(", ", current.exercisePaths())
                + (open.isEmpty() ? "" : "   (still open: TODO " + String.join(", ", open) + ")"));
        if (watching) {
            out.println("  3. save: watch checks it again    (keys: Enter re-check, n next, h hint, l list, q quit)");
        } else {
            out.println("  3. check your work:     ./jbang course verify   (or ./jbang course watch: re-checks on every save)");
            out.println("  stuck?                  ./jbang course hint");
        }
    }

    private static final Pattern TODO_CALL = Pattern.compile("Todo\\.todo\\(\\s*\"(\\d+)\"\\s*,\\s*(\\d+)");

    /** The TODOs whose Todo.todo(...) call is still in the learner's files, e.g. ["01.2", "01.3"]. */
    List<String> openTodos(CourseData.Exercise ex) {
        List<String> open = new ArrayList<>();
        for (String path : ex.exercisePaths()) {
            Matcher m = TODO_CALL.matcher(readText(root.resolve(path)));
            while (m.find()) {
                open.add(m.group(1) + "." + m.group(2));
            }
        }
        return open;
    }

    // ---- verify -------------------------------------------------------------------------------------------

    int verify(CourseData.Exercise ex) {
        if (ex == null) {
            out.println(ui.green("Every exercise is done.") + " `./jbang course verify NN` checks one again;"
                    + " `./jbang course verify --all` checks them all.");
            return 0;
        }
        checkLabEnvironment();
        out.println(ui.bold("Checking exercise " + ex.label()) + "  (" + String.join(", ", ex.exercisePaths()) + ")");
        boolean cold = !Files.isDirectory(root.resolve("target/exercises/classes"));
        out.println(ui.dim("  running " + ex.test() + " against your files with ./mvnw -Pexercises test"
                + (cold ? " (the first run compiles the course, and fetches whatever Maven lacks)" : "") + " ..."));
        CourseMaven.Run run = tests.run(List.of(ex.test()));
        clearTick();
        CourseMaven.Suite suite = run.suites().get(ex.test());
        if (suite == null) {
            out.println();
            reportBrokenRun(run);
            return run.compileErrors().isEmpty() ? 2 : 1;
        }
        out.println();
        if (suite.passed()) {
            boolean wasCurrent = ex.equals(state.current(exercises));
            state.markDone(exercises, ex);
            state.save(root);
            out.println(ui.green("PASSED") + "  exercise " + ex.label() + ": " + plural(suite.passing(), "check") + " pass"
                    + (suite.passing() == 1 ? "es" : "") + " (" + seconds(run.millis()) + ").");
            long doneCount = exercises.stream().filter(state::isDone).count();
            out.println("Marked done: " + doneCount + " of " + exercises.size() + ".");
            out.println();
            if (wasCurrent || state.current(exercises) == null) {
                printNextStep(state.current(exercises));
            }
            return 0;
        }
        int failing = suite.failures() + suite.errors();
        out.println(ui.red("FAILED") + "  exercise " + ex.label() + ": " + failing + " of " + suite.tests()
                + " check" + (suite.tests() == 1 ? "" : "s") + " failed (" + seconds(run.millis()) + ").");
        for (CourseMaven.Case c : suite.cases()) {
            if (c.failed()) {
                out.println();
                describeFailure(ex, c);
            }
        }
        out.println();
        String firstTodo = suite.cases().stream().filter(CourseMaven.Case::failed).map(c -> todoOf(c.message()))
                .filter(m -> m != null).map(m -> m.group(1) + "." + m.group(2)).findFirst().orElse(null);
        out.println(ui.bold("Next: ") + (firstTodo != null ? "do TODO " + firstTodo + " in " + String.join(", ", ex.exercisePaths())
                : "fix what the first failed check says in " + String.join(", ", ex.exercisePaths()))
                + (watching ? ", then save: it is checked again." : ", then ./jbang course verify"
                + (ex.equals(state.current(exercises)) ? "" : " " + ex.id()) + "   (or keep ./jbang course watch running)"));
        out.println("Stuck? " + (watching ? "h (then Enter) for a hint" : "./jbang course hint " + ex.id()));
        return 1;
    }

    /** A lab given in the environment that does not answer would make every test wait and fail: say so first. */
    private void checkLabEnvironment() {
        String kafka = env.get("KAFKA_BOOTSTRAP_SERVERS");
        if (kafka != null && !kafka.isBlank()) {
            String first = kafka.split(",")[0].trim();
            if (first.contains(":") && !CourseDoctor.listening(first)) {
                throw new CourseException("KAFKA_BOOTSTRAP_SERVERS is " + kafka + ", but nothing answers at " + first + ".\n"
                        + "  Start that cluster, or unset the variable: the tests then start their own lab.");
            }
        }
        String s3 = env.get("S3_ENDPOINT");
        if (s3 != null && !s3.isBlank()) {
            java.net.URI uri = java.net.URI.create(s3.trim());
            String address = uri.getHost() + ":" + (uri.getPort() > 0 ? uri.getPort() : 80);
            if (uri.getHost() != null && !CourseDoctor.listening(address)) {
                throw new CourseException("S3_ENDPOINT is " + s3 + ", but nothing answers there.\n"
                        + "  Start that server, or unset the variable: the tests then start their own lab.");
            }
        }
    }

    /** Nothing was tested: a compile error (most likely), or Maven itself failed. */
    private void reportBrokenRun(CourseMaven.Run run) {
        if (!run.compileErrors().isEmpty()) {
            out.println(ui.red("DOES NOT COMPILE") + "  the course's code must compile before any test can run:");
            for (CourseMaven.CompileError e : run.compileErrors()) {
                out.println();
                out.println("  " + ui.bold(e.file() + ":" + e.line()) + "  " + e.message().replace("\n", "\n    "));
                String source = sourceLine(root.resolve(e.file()), e.line());
                if (source != null) {
                    out.println("    | " + source.stripTrailing());
                    int col = Math.max(1, e.column()) - 1;
                    String lead = source.substring(0, Math.min(col, source.length())).replaceAll("[^\t]", " ");
                    out.println("    | " + lead + ui.red("^"));
                }
            }
            out.println();
            boolean inTests = run.compileErrors().stream().allMatch(e -> e.file().startsWith("src/test/"));
            if (inTests) {
                out.println(ui.bold("Next: ") + "the tests no longer fit your code: keep the exercise's class, method names"
                        + " and parameters as they were shipped (only the bodies change), then verify again.");
            } else {
                out.println(ui.bold("Next: ") + "fix the error" + (run.compileErrors().size() == 1 ? "" : "s")
                        + " above, then verify again. (A half-done exercise elsewhere stops every check:"
                        + " put a TODO back or `./jbang course reset NN` it.)");
            }
            return;
        }
        out.println(ui.red("NO RESULT") + "  Maven ended (exit code " + run.exitCode() + ") without running the tests."
                + " The end of its output:");
        run.logTail().lines().forEach(l -> out.println("    " + l));
        out.println();
        out.println(ui.bold("Next: ") + "the full output is in " + CourseMaven.relative(root, run.log().toString())
                + ". `./jbang course doctor` checks the JDK and Maven; the first run needs Maven Central"
                + " (repo.maven.apache.org) to download Maven and the libraries.");
    }

    private static final Pattern TODO_MESSAGE = Pattern.compile("TODO (\\d+)\\.(\\d+) is not done yet: (.*?)(?: \\(exercises/[^)]*\\))?\\s*$",
            Pattern.DOTALL);
    private static final Pattern FRAME = Pattern.compile("at (?:[\\w$]+\\.)*?([\\w$]+)\\.([\\w$<>]+)\\(([\\w$]+\\.java):(\\d+)\\)");

    private static Matcher todoOf(String message) {
        Matcher m = TODO_MESSAGE.matcher(message == null ? "" : message.strip());
        return m.matches() ? m : null;
    }

    /** One failed check: what it checks, what went wrong, where in the learner's code, which TODO. */
    void describeFailure(CourseData.Exercise ex, CourseMaven.Case c) {
        String name = c.name().isEmpty() ? "setting up " + ex.test() + " (before its checks)" : humanize(c.name());
        out.println("  " + ui.red("x") + " " + ui.bold(name));
        Matcher todo = todoOf(c.message());
        if (todo != null) {
            String id = todo.group(1) + "." + todo.group(2);
            out.println("      TODO " + id + " is not done yet: " + todo.group(3).strip());
            todoLocation(ex, id).ifPresent(loc -> out.println("      -> " + loc));
            return;
        }
        boolean assertion = c.type().contains("AssertionFailedError") || c.type().endsWith("AssertionError");
        List<String> message = c.message() == null ? List.of() : c.message().strip().lines().toList();
        if (assertion) {
            // AssertJ: "[what was checked] \nexpected: ...\n but was: ..."
            for (String line : message.subList(0, Math.min(message.size(), 14))) {
                Matcher d = Pattern.compile("^\\[(.*)\\]\\s*$").matcher(line);
                out.println("      " + clip(d.matches() ? d.group(1) : "  " + line.stripTrailing()));
            }
        } else {
            String type = c.type().replaceFirst(".*[.$]", "");
            out.println("      " + type + (message.isEmpty() ? "" : ": " + clip(message.get(0))));
            message.stream().skip(1).limit(8).forEach(l -> out.println("        " + clip(l)));
            c.trace().lines().filter(l -> l.startsWith("Caused by: ")).limit(3)
                    .forEach(l -> out.println("      " + clip(l.replaceFirst("Caused by: (?:[\\w$]+\\.)*", "caused by "))));
        }
        if (message.size() > 14 && assertion) {
            out.println("        ... (" + (message.size() - 14) + " more lines in " + CourseMaven.REPORTS + "/TEST-" + ex.test() + ".xml)");
        }
        // where: the first line of the learner's code in the stack trace, else the check in the test
        Matcher f = FRAME.matcher(c.trace());
        String testLine = null;
        while (f.find()) {
            String file = f.group(3);
            int line = Integer.parseInt(f.group(4));
            Optional<String> path = ex.exercisePaths().stream().filter(p -> p.endsWith("/" + file)).findFirst();
            if (path.isPresent()) {
                String method = f.group(2).replaceFirst("^lambda\\$(\\w+)\\$\\d+$", "$1");
                String source = sourceLine(root.resolve(path.get()), line);
                out.println("      in your code: " + path.get() + ":" + line + (source == null ? "" : "   " + source.strip()));
                todoForMethod(ex, method).ifPresent(t -> out.println("      -> TODO " + t.id() + " (" + t.method() + ")"));
                return;
            }
            if (testLine == null && file.equals(ex.test() + ".java")) {
                String source = sourceLine(root.resolve("src/test/java/" + file), line);
                testLine = "src/test/java/" + file + ":" + line + (source == null ? "" : "   " + source.strip());
            }
        }
        if (testLine != null) {
            out.println("      checked at " + testLine);
        }
        List<TodoMark> covered = todosCalledBy(ex, c.name());
        if (!covered.isEmpty()) {
            out.println("      -> look again at " + covered.stream().map(t -> "TODO " + t.id() + " (" + t.method() + ")").distinct()
                    .reduce((a, b) -> a + ", " + b).orElse(""));
        }
    }

    /** A TODO of a shipped exercise: id like "00.1", the file, the method it sits in, its line in the shipped file. */
    record TodoMark(String id, String path, String method, int line) {}

    private static final Pattern TODO_COMMENT = Pattern.compile("//\\s*TODO (\\d+\\.\\d+)");
    private static final Pattern MEMBER = Pattern.compile("^ {4}[^ /*@}].*?(\\w+)\\s*\\(");

    /** The TODOs of an exercise as shipped (so they are found even after the learner deleted the comments). */
    List<TodoMark> todoMarks(CourseData.Exercise ex) {
        List<TodoMark> marks = new ArrayList<>();
        Map<String, CourseShipped.Entry> entries;
        try {
            entries = CourseShipped.load(root);
        } catch (CourseException e) {
            entries = Map.of();
        }
        for (String path : ex.exercisePaths()) {
            String text;
            try {
                text = new String(CourseShipped.shipped(root, entries, path), StandardCharsets.UTF_8);
            } catch (CourseException e) {
                text = readText(root.resolve(path)); // the learner's file is the next best guide
            }
            String method = "";
            List<String> lines = text.lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                Matcher member = MEMBER.matcher(lines.get(i));
                if (member.find() && !lines.get(i).strip().startsWith("return")) {
                    method = member.group(1);
                }
                Matcher t = TODO_COMMENT.matcher(lines.get(i));
                if (t.find() && marks.stream().noneMatch(mk -> mk.id().equals(t.group(1)))) {
                    marks.add(new TodoMark(t.group(1), path, method, i + 1));
                }
            }
        }
        return marks;
    }

    /** Where TODO id is in the learner's file now (its comment, else its method), as "path:line   source". */
    Optional<String> todoLocation(CourseData.Exercise ex, String id) {
        Optional<TodoMark> mark = todoMarks(ex).stream().filter(t -> t.id().equals(id)).findFirst();
        List<String> paths = mark.map(t -> List.of(t.path())).orElse(ex.exercisePaths());
        for (String path : paths) {
            List<String> lines = readText(root.resolve(path)).lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains("TODO " + id)) {
                    return Optional.of(path + ":" + (i + 1) + "   " + lines.get(i).strip());
                }
            }
            if (mark.isPresent() && !mark.get().method().isEmpty()) {
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).matches(".*\\b" + Pattern.quote(mark.get().method()) + "\\s*\\(.*\\{\\s*$")) {
                        return Optional.of(path + ":" + (i + 1) + "   (in " + mark.get().method() + ")");
                    }
                }
            }
        }
        return Optional.empty();
    }

    private Optional<TodoMark> todoForMethod(CourseData.Exercise ex, String method) {
        return todoMarks(ex).stream().filter(t -> t.method().equals(method)).findFirst();
    }

    /** The TODOs in the exercise methods that the failed test method calls directly (read from the test's source). */
    private List<TodoMark> todosCalledBy(CourseData.Exercise ex, String testMethod) {
        String source = readText(root.resolve("src/test/java/" + ex.test() + ".java"));
        String body = source;
        if (!testMethod.isEmpty()) {
            int at = source.indexOf(" " + testMethod + "(");
            if (at >= 0) {
                int end = source.indexOf("@Test", at);
                body = source.substring(at, end < 0 ? source.length() : end);
            }
        } else {
            int at = source.indexOf("@BeforeAll");
            if (at >= 0) {
                int end = source.indexOf("@Test", at);
                body = source.substring(at, end < 0 ? source.length() : end);
            }
        }
        List<TodoMark> marks = todoMarks(ex);
        List<TodoMark> called = new ArrayList<>();
        for (String cls : ex.classNames()) {
            Matcher m = Pattern.compile("\\b" + Pattern.quote(cls) + "\\.(\\w+)\\s*\\(").matcher(body);
            while (m.find()) {
                String method = m.group(1);
                marks.stream().filter(t -> t.method().equals(method) && !called.contains(t)).forEach(called::add);
            }
        }
        return called;
    }

    // ---- verify --all: the workshop table --------------------------------------------------------------

    int verifyAll() {
        checkLabEnvironment();
        out.println(ui.bold("Checking every exercise") + " in one run (./mvnw -Pexercises test, " + exercises.size()
                + " test classes) ...");
        CourseMaven.Run run = tests.run(exercises.stream().map(CourseData.Exercise::test).toList());
        clearTick();
        out.println();
        if (run.suites().isEmpty()) {
            reportBrokenRun(run);
            return 2;
        }
        int titleWidth = Math.max(8, exercises.stream().mapToInt(e -> e.title().length()).max().orElse(10));
        out.printf("  %-2s  %-" + titleWidth + "s  %-8s  %-6s  %s%n", "#", "exercise", "result", "checks", "first problem");
        int passed = 0;
        for (CourseData.Exercise ex : exercises) {
            CourseMaven.Suite s = run.suites().get(ex.test());
            String result;
            String checks = "";
            String problem = "";
            if (s == null) {
                result = ui.yellow("not run");
                problem = "no report from " + ex.test();
            } else if (s.passed()) {
                result = ui.green("passed  ");
                checks = s.passing() + "/" + s.tests();
                passed++;
                state.markDone(exercises, ex);
            } else {
                result = ui.red("failed  ");
                checks = s.passing() + "/" + s.tests();
                CourseMaven.Case first = s.cases().stream().filter(CourseMaven.Case::failed).findFirst().orElse(null);
                if (first != null) {
                    Matcher todo = todoOf(first.message());
                    problem = todo != null ? "TODO " + todo.group(1) + "." + todo.group(2) + " not done"
                            : first.message() == null ? first.type() : first.message().strip().lines().findFirst().orElse("")
                            .replaceAll("^\\[(.*)\\]\\s*$", "$1");
                }
            }
            out.printf("  %-2s  %-" + titleWidth + "s  %s  %-6s  %s%n", ex.id(), ex.title(), result, checks, clip(problem));
        }
        state.save(root);
        out.println();
        out.println(passed + " of " + exercises.size() + " exercises pass (" + seconds(run.millis()) + ")."
                + (passed == exercises.size() ? "" : " Details of one: ./jbang course verify NN"));
        return passed == exercises.size() ? 0 : 1;
    }

    // ---- watch ---------------------------------------------------------------------------------------------

    int watch() {
        watching = true;
        try {
            return watchLoop();
        } finally {
            watching = false;
        }
    }

    private int watchLoop() {
        startKeyReader();
        boolean keysOpen = true;
        CourseData.Exercise ex = state.current(exercises);
        boolean check = true;
        out.println(ui.bold("Watching your exercise.") + " Save a file to check it again. Keys (then Enter):"
                + " Enter re-check, n next, h hint, l list, q quit. Ctrl-C stops too.");
        while (true) {
            if (ex == null) {
                out.println(ui.green("Every exercise is done. Well done!"));
                return 0;
            }
            Map<Path, List<Object>> before = snapshot(ex);
            if (check) {
                out.println();
                verify(ex);
                CourseData.Exercise now = state.current(exercises);
                if (now == null) {
                    out.println(ui.green("Every exercise is done. Well done!"));
                    return 0;
                }
                if (!now.equals(ex)) {
                    // passed: carry on with the next one, and show where it stops
                    ex = now;
                    out.println(ui.bold("On to exercise " + ex.label()) + ". Checking it as it is ...");
                    continue;
                }
                out.println(ui.dim("Watching " + String.join(", ", ex.exercisePaths())
                        + ": save to check again. Keys: Enter re-check, n next, h hint, l list, q quit."));
            }
            check = false;
            // wait for a save or a key
            while (!check) {
                Optional<String> key;
                try {
                    key = keys.poll(pollMillis, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return 0;
                }
                if (key != null && key.isEmpty()) {
                    if (keysOpen) {
                        out.println(ui.dim("(no more keys: input closed. Still watching; Ctrl-C stops.)"));
                        keysOpen = false;
                    }
                } else if (key != null) {
                    switch (key.get().strip().toLowerCase(Locale.ROOT)) {
                        case "", "r" -> check = true;
                        case "q", "quit", "exit" -> {
                            out.println("Bye. Continue any time with ./jbang course watch");
                            return 0;
                        }
                        case "h", "hint" -> hint(ex);
                        case "l", "list" -> progress(false);
                        case "n", "next" -> {
                            CourseData.Exercise next = nextInOrder(ex);
                            if (next == null) {
                                out.println("There is no exercise after " + ex.id() + " left to do.");
                            } else {
                                out.println(ui.bold("Moving to exercise " + next.label())
                                        + (state.isDone(ex) ? "" : " (" + ex.id() + " is not done: come back to it any time)"));
                                state.current = next.id();
                                state.save(root);
                                ex = next;
                                check = true;
                            }
                        }
                        default -> out.println("Keys (then Enter): Enter re-check, n next, h hint, l list, q quit.");
                    }
                }
                if (!check && !snapshot(ex).equals(before)) {
                    sleep(200); // editors save in steps; let them finish
                    check = true;
                }
            }
        }
    }

    private CourseData.Exercise nextInOrder(CourseData.Exercise ex) {
        int at = exercises.indexOf(ex);
        for (int k = at + 1; k < exercises.size(); k++) {
            if (!state.isDone(exercises.get(k))) {
                return exercises.get(k);
            }
        }
        return state.nextPending(exercises, ex);
    }

    private void startKeyReader() {
        keys = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    keys.add(Optional.of(line));
                }
            } catch (IOException e) {
                // treated like the end of input
            }
            keys.add(Optional.empty());
        }, "course-keys");
        reader.setDaemon(true);
        reader.start();
    }

    /** Modification time and size of each file of an exercise: a change means a save. */
    private Map<Path, List<Object>> snapshot(CourseData.Exercise ex) {
        Map<Path, List<Object>> snap = new LinkedHashMap<>();
        for (String p : ex.exercisePaths()) {
            Path file = root.resolve(p);
            try {
                FileTime time = Files.getLastModifiedTime(file);
                snap.put(file, List.of(time, Files.size(file)));
            } catch (IOException e) {
                snap.put(file, List.of("missing"));
            }
        }
        return snap;
    }

    // ---- hint, run, solution -----------------------------------------------------------------------------

    int hint(CourseData.Exercise ex) {
        if (ex == null) {
            out.println("Every exercise is done: no hints needed. `./jbang course hint NN` shows one exercise's hints.");
            return 0;
        }
        List<String> hints = ex.hints();
        if (hints.isEmpty()) {
            out.println("Exercise " + ex.label() + " has no hints. The lesson shows the same ideas: ./jbang course run " + ex.id());
            return 0;
        }
        int shown = Math.min(hints.size(), state.hints.getOrDefault(ex.id(), 0) + 1);
        state.hints.put(ex.id(), shown);
        state.save(root);
        out.println(ui.bold("Exercise " + ex.label() + ": hint " + shown + " of " + hints.size()));
        for (int i = 0; i < shown; i++) {
            String text = wrap(hints.get(i), 96, "     ");
            out.println("  " + (i + 1) + ". " + (i == shown - 1 ? ui.cyan(text) : ui.dim(text)));
        }
        if (shown < hints.size()) {
            out.println("One more: " + (watching ? "h again" : "./jbang course hint" + (ex.equals(state.current(exercises)) ? "" : " " + ex.id())));
        } else {
            out.println("That was the last hint. Still stuck? The lesson does the same: ./jbang course run " + ex.id()
                    + "; the solution: ./jbang course solution " + ex.id() + " --force");
        }
        return 0;
    }

    int runLesson(CourseData.Exercise ex) {
        Path lesson = root.resolve(ex.lesson());
        if (!Files.isRegularFile(lesson)) {
            throw new CourseException("Lesson " + ex.id() + " should be " + ex.lesson() + ", which is missing.");
        }
        List<String> command = CourseMaven.isWindows()
                ? List.of("cmd.exe", "/c", root.resolve("jbang.cmd").toString(), ex.lesson())
                : List.of("bash", root.resolve("jbang").toString(), ex.lesson());
        out.println(ui.dim("Running lesson " + ex.label() + ": ./jbang " + ex.lesson()));
        out.flush();
        try {
            Process p = new ProcessBuilder(command).directory(root.toFile()).inheritIO().start();
            int code = p.waitFor();
            if (code == 0) {
                out.println();
                out.println(ui.bold("Next: ") + "the exercise: " + String.join(", ", ex.exercisePaths())
                        + ", then ./jbang course verify " + ex.id());
            }
            return code;
        } catch (IOException e) {
            throw new CourseException("Cannot start ./jbang: " + e.getMessage() + "\n  `./jbang course doctor` checks JBang.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    int solution(CourseData.Exercise ex, boolean force) {
        if (!state.isDone(ex) && !force) {
            out.println("Exercise " + ex.label() + " is not done yet, so its solution stays hidden for now.");
            out.println("Try a hint first: ./jbang course hint " + ex.id()
                    + ". To see the solution anyway: ./jbang course solution " + ex.id() + " --force");
            return 1;
        }
        boolean same = true;
        for (String f : ex.files()) {
            String yours = ex.exercise() + "/" + f;
            String solution = ex.solutionPath(f);
            String diff = CourseDiff.unified(yours + " (yours)", readText(root.resolve(yours)),
                    solution + " (solution)", readText(root.resolve(solution)), 3);
            if (diff.isEmpty()) {
                out.println(yours + " is the solution, byte for byte.");
                continue;
            }
            same = false;
            for (String line : diff.split("\n", -1)) {
                if (line.startsWith("---") || line.startsWith("+++")) {
                    out.println(ui.bold(line));
                } else if (line.startsWith("@@")) {
                    out.println(ui.cyan(line));
                } else if (line.startsWith("-")) {
                    out.println(ui.red(line));
                } else if (line.startsWith("+")) {
                    out.println(ui.green(line));
                } else if (!line.isEmpty()) {
                    out.println(line);
                }
            }
        }
        if (!same) {
            out.println();
            out.println(ui.dim("Lines with - are yours, lines with + the solution's. Yours passes too if the tests say so:"
                    + " there is more than one right answer."));
        }
        return 0;
    }

    // ---- reset ---------------------------------------------------------------------------------------------

    int reset(List<String> args) {
        boolean yes = args.remove("--yes") | args.remove("-y");
        boolean all = args.remove("--all");
        if (!all && args.stream().allMatch(a -> a.startsWith("-"))) {
            throw new CourseException("Which exercise? `./jbang course reset NN` puts exercise NN back as shipped;"
                    + " `./jbang course reset --all` every exercise. The exercises: "
                    + exercises.stream().map(CourseData.Exercise::id).toList());
        }
        List<CourseData.Exercise> targets = all ? exercises : List.of(exerciseArg(args, false));
        Map<String, CourseShipped.Entry> entries = CourseShipped.load(root);
        Map<Path, byte[]> restore = new LinkedHashMap<>();
        for (CourseData.Exercise ex : targets) {
            for (String path : ex.exercisePaths()) {
                byte[] shipped = CourseShipped.shipped(root, entries, path);
                Path file = root.resolve(path);
                byte[] now = Files.exists(file) ? CourseShipped.read(file) : null;
                if (!Arrays.equals(shipped, now)) {
                    restore.put(file, shipped);
                }
            }
        }
        String which = all ? "every exercise" : "exercise " + targets.get(0).label();
        if (restore.isEmpty()) {
            out.println("Nothing to reset: " + which + " is as shipped.");
        } else {
            out.println("These files differ from how they were shipped:");
            restore.forEach((file, shipped) -> {
                String now = Files.exists(file) ? readText(file) : "";
                long changed = CourseDiff.ops(CourseDiff.split(new String(shipped, StandardCharsets.UTF_8)), CourseDiff.split(now))
                        .stream().filter(o -> o.kind() != ' ').count();
                out.println("  " + root.relativize(file).toString().replace('\\', '/') + "  (" + plural((int) changed, "line")
                        + " added or removed)");
            });
            if (!yes) {
                out.print("Throw your changes away and put " + which + " back as shipped? [y/N] ");
                out.flush();
                String answer = readAnswer();
                if (answer == null) {
                    out.println();
                    out.println("Nothing reset: no answer (input is closed). Add --yes to reset without asking.");
                    return 1;
                }
                if (!answer.strip().toLowerCase(Locale.ROOT).startsWith("y")) {
                    out.println("Nothing reset.");
                    return 1;
                }
            }
            for (Map.Entry<Path, byte[]> e : restore.entrySet()) {
                try {
                    Files.createDirectories(e.getKey().getParent());
                    Files.write(e.getKey(), e.getValue());
                } catch (IOException ex) {
                    throw new CourseException("Cannot write " + e.getKey() + ": " + ex.getMessage());
                }
            }
            out.println("Put " + which + " back as shipped (" + plural(restore.size(), "file") + ").");
        }
        for (CourseData.Exercise ex : targets) {
            state.done.remove(ex.id());
            state.hints.remove(ex.id());
        }
        // the exercise put back is the one to do next (after --all: the first one)
        state.current = all ? null : targets.get(0).id();
        state.save(root);
        CourseData.Exercise current = state.current(exercises);
        out.println((all ? "Progress and hints start over." : "Its progress and hints start over.") + " Current exercise: " + (current == null ? "none (all done)" : current.label()) + ".");
        return 0;
    }

    private String readAnswer() {
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            return r.readLine();
        } catch (IOException e) {
            return null;
        }
    }

    // ---- for course developers ---------------------------------------------------------------------------

    int dev(List<String> args) {
        String what = args.isEmpty() ? "" : args.get(0);
        if (what.equals("shipped")) {
            try {
                CourseShipped.write(root, exercises);
            } catch (IOException e) {
                throw new CourseException("Cannot write " + CourseShipped.FILE + ": " + e.getMessage());
            }
            out.println("Wrote " + CourseShipped.FILE + " from exercises/ and solutions/ (" + exercises.stream()
                    .mapToInt(e -> e.files().size()).sum() + " files). Commit it with the exercises.");
            return 0;
        }
        if (what.equals("check")) {
            List<String> problems = CourseShipped.problems(root, exercises);
            if (problems.isEmpty()) {
                out.println(CourseShipped.FILE + " is up to date.");
                return 0;
            }
            problems.forEach(p -> out.println("  " + p));
            out.println(CourseShipped.FILE + " is out of date: ./jbang course dev shipped");
            return 1;
        }
        out.println("""
                For course developers:
                  ./jbang course dev shipped   record exercises/ as shipped (tools/course/shipped-exercises.json),
                                               after changing an exercise or its solution
                  ./jbang course dev check     is that file up to date?""");
        return 64;
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /** The exercise named by the first argument ("1", "01"), or the current one when there is none and that is allowed. */
    CourseData.Exercise exerciseArg(List<String> args, boolean currentIfNone) {
        Optional<String> arg = args.stream().filter(a -> !a.startsWith("-")).findFirst();
        if (arg.isEmpty()) {
            if (currentIfNone) {
                return state.current(exercises);
            }
            throw new CourseException("Which exercise? Give its number, e.g. " + exercises.get(0).id()
                    + ". The exercises: " + exercises.stream().map(CourseData.Exercise::id).toList());
        }
        String id = arg.get().replaceFirst("^lesson", "");
        if (id.matches("\\d")) {
            id = "0" + id;
        }
        for (CourseData.Exercise ex : exercises) {
            if (ex.id().equals(id)) {
                return ex;
            }
        }
        throw new CourseException("There is no exercise '" + arg.get() + "'. The exercises: "
                + exercises.stream().map(CourseData.Exercise::id).toList() + " (./jbang course list shows them).");
    }

    private boolean ticking;

    /** While Maven runs, a terminal sees the seconds go by (a pipe or a file sees nothing). */
    private void tick(long seconds) {
        if (ui.terminal && seconds >= 2) {
            out.print("\r" + ui.dim("  ... " + seconds + " s") + " ");
            out.flush();
            ticking = true;
        }
    }

    private void clearTick() {
        if (ticking) {
            out.print("\r" + " ".repeat(20) + "\r");
            ticking = false;
        }
    }

    static String readText(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String sourceLine(Path file, int line) {
        List<String> lines = readText(file).lines().toList();
        return line >= 1 && line <= lines.size() ? lines.get(line - 1) : null;
    }

    /** describeClusterReportsTheClusterThatAnswers -> "describe cluster reports the cluster that answers". */
    static String humanize(String testName) {
        if (testName.contains(" ") || testName.contains("[")) {
            return testName;
        }
        return String.join(" ", testName.replaceFirst("\\(.*\\)$", "").split("(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")).toLowerCase(Locale.ROOT);
    }

    private static String clip(String line) {
        return line.length() > 220 ? line.substring(0, 217) + "..." : line;
    }

    private static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    static String wrap(String text, int width, String indent) {
        StringBuilder sb = new StringBuilder();
        int col = 0;
        for (String word : text.split(" ")) {
            if (col > 0 && col + 1 + word.length() > width) {
                sb.append('\n').append(indent);
                col = 0;
            } else if (col > 0) {
                sb.append(' ');
                col++;
            }
            sb.append(word);
            col += word.length();
        }
        return sb.toString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
