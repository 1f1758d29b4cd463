///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS com.fasterxml.jackson:jackson-bom:2.20.1@pom
//DEPS com.fasterxml.jackson.core:jackson-databind
//COMPILE_OPTIONS -encoding UTF-8
//SOURCES CourseCatalog.java CourseState.java CourseProgress.java CourseVerify.java CourseReport.java CourseWatch.java
//SOURCES CourseGuide.java CourseReset.java CourseDev.java CourseDoctor.java CourseDiff.java CourseUi.java CourseException.java
//SOURCES CheckResult.java CheckClient.java CheckBuild.java CourseWorkshop.java CourseRoom.java
//CDS
//JAVA_OPTIONS -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -Xlog:cds*=off -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=error -Dslf4j.provider=org.slf4j.simple.SimpleServiceProvider -Dslf4j.internal.verbosity=WARN

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The course runner, in the spirit of rustlings: {@code ./jbang course} shows where you are, {@code verify} checks
 * an exercise against the real lab, {@code watch} re-checks on every save, {@code hint} helps one step at a time.
 * One class per command; this one reads the command line and holds what they share. Checks run in a warm check
 * JVM ({@link CheckClient}); progress lives in .course-state.json next to the course.
 */
public class Course {
    static final String USAGE = """
            Usage: ./jbang course [command]        (Windows: jbang.cmd course ...)

              (none)             your progress and the next step (until lesson 00 has run to its end: a welcome,
                                 then lesson 00, which brings the lab up)
              verify [NN.K]      check your current exercise (or exercise NN.K; NN checks each of lesson NN's)
                                 against the real lab; when it passes it is marked done and the next one is current
              verify --all       every exercise, as a table (for teachers and workshops)
              watch [NN.K]       check the current exercise (or NN.K) again on every save; keys: Enter re-check,
                                 n next exercise, h hint, l list, q quit (each followed by Enter)
              hint [NN.K]        one more hint each time you ask
              run NN             run lesson NN, the narrated demo (an exercise id runs its lesson)
              reset NN.K | NN | --all
                                 put an exercise (a lesson's, or all) back as shipped; asks first (--yes: don't ask)
              solution NN.K      the solution as a diff against your file, once the exercise is done (--force: anyway)
              doctor             check the JDK, Maven, JBang, Docker, the lab's ports, the chDB bridge, the check JVM
              stop               stop the check JVM (it also stops by itself after 30 idle minutes)
              room               for teachers: the room live (one line per learner who shares progress), read
                                 from the course's compacted topic; --once prints it once, --forget NAME drops one
              list               the progress view, without the welcome
              help               this text

            An exercise is NN.K (lesson NN, exercise K): 06.4, also 064 or its slug (flush_order).
            The first check builds the course once (Maven) and starts a check JVM that keeps the compiler, the
            tests and a lab warm: later checks take a second or two. It uses `./jbang lab up` when that runs.
            Environment: NO_COLOR turns colours off; KAFKA_BOOTSTRAP_SERVERS / S3_ENDPOINT / CLICKHOUSE_URL make
            the checks use that lab; COURSE_CHECK_LAB=embedded ignores `lab up`; COURSE_MAVEN_ARGS adds arguments
            to the one ./mvnw call (e.g. -o offline); COURSE_CHECK_IDLE_MINUTES (default 30).
            Workshops (docs/workshop.md): on a shared cluster the runner asks your name once (COURSE_LEARNER sets it):
            every topic, group, object and table you make starts with it; COURSE_ROOM=on|off shares your progress.
            For course developers: ./jbang course dev check (every exercise fails at its own TODO, every solution passes).
            """;

    /** Checks one exercise (the check JVM in real life; tests of the runner may stand in). */
    interface Checker {
        CheckResult check(CheckResult.Request request, boolean clickhouse, Consumer<String> progress);
    }

    final Path root;
    final Map<String, String> env;
    final InputStream in;
    final PrintStream out;
    final CourseUi ui;
    final CourseCatalog catalog;
    Checker checker;
    long pollMillis = 200;
    /** A learner at a terminal (not a pipe, a script or CI): `./jbang course` may start lesson 00 by itself. */
    boolean interactive = System.console() != null;
    CourseState state;
    /** The learner's name and the room's progress events. */
    CourseWorkshop workshop;
    /** True inside `watch`: the next step is "save", not "run verify". */
    boolean watching;
    private boolean ticking;

    Course(Path root, Map<String, String> env, InputStream in, PrintStream out, CourseUi ui) {
        this.root = root.toAbsolutePath().normalize();
        this.env = env;
        this.in = in;
        this.out = out;
        this.ui = ui;
        this.catalog = CourseCatalog.load(this.root);
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        CourseUi ui = CourseUi.detect(env);
        PrintStream out = System.out; // the console's own encoding, as the lessons print
        int code;
        try {
            Path root = findRoot(Path.of("").toAbsolutePath(), env);
            code = new Course(root, env, System.in, out, ui).run(args);
        } catch (CourseException e) {
            out.println(ui.red("Error: ") + e.getMessage());
            code = 2;
        }
        out.flush();
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
        CheckClient client = null;
        try {
            state = CourseState.load(root, out);
            CourseReset.snapshot(this);
            workshop = new CourseWorkshop(this);
            if (!List.of("help", "--help", "-h", "doctor", "stop", "room", "dev").contains(command)) {
                workshop.learner(); // on a shared cluster: asked once, before anything makes a name
            }
            if (checker == null && List.of("verify", "check", "watch", "dev").contains(command)) {
                client = new CheckClient(root, env, line -> progressLine(line), this::tick);
                checker = client;
            }
            return switch (command) {
                case "" -> new CourseProgress(this).start();
                case "list", "progress", "status" -> new CourseProgress(this).show(false);
                case "verify", "check" -> rest.contains("--all") ? new CourseVerify(this).all() : new CourseVerify(this).verify(rest);
                case "watch" -> new CourseWatch(this).watch(rest);
                case "hint" -> new CourseGuide(this).hint(exerciseArg(rest, true));
                case "run" -> new CourseGuide(this).runLesson(rest);
                case "reset" -> new CourseReset(this).reset(rest);
                case "solution" -> new CourseGuide(this).solution(exerciseArg(rest, false), rest.contains("--force"));
                case "doctor" -> new CourseDoctor(root, env, out, ui).run();
                case "stop" -> stop();
                case "room" -> new CourseRoom(this).run(rest);
                case "dev" -> new CourseDev(this).run(rest);
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
            clearTick();
            out.println(ui.red("Error: ") + e.getMessage());
            return 2;
        } finally {
            if (client != null) {
                client.close();
            }
            if (workshop != null) {
                workshop.close();
            }
        }
    }

    private int stop() {
        boolean stopped = new CheckClient(root, env, out::println, s -> { }).stop();
        out.println(stopped ? "Stopped the check JVM. The next check starts a new one." : "No check JVM runs for this course.");
        return 0;
    }

    /**
     * The exercise the first word names (06.4, 064, flush_order), or the current one when there is no word and that
     * is allowed; a lesson's id gets a message naming its exercises.
     */
    CourseCatalog.Exercise exerciseArg(List<String> args, boolean currentIfNone) {
        Optional<String> arg = args.stream().filter(a -> !a.startsWith("-")).findFirst();
        if (arg.isEmpty()) {
            if (currentIfNone) {
                return state.current(catalog.exercises);
            }
            throw new CourseException("Which exercise? Give its id, e.g. " + catalog.exercises.get(0).id()
                    + ". The exercises: " + catalog.exerciseIds());
        }
        CourseCatalog.Exercise ex = catalog.findExercise(arg.get());
        if (ex != null) {
            return ex;
        }
        CourseCatalog.Lesson lesson = catalog.findLesson(arg.get());
        if (lesson != null) {
            throw new CourseException(lesson.exercises().isEmpty()
                    ? "Lesson " + lesson.label() + " is narrated: it has no exercise. Run it: ./jbang course run " + lesson.id()
                    : "Lesson " + lesson.id() + " has exercises " + String.join(", ", lesson.exercises().stream()
                            .map(CourseCatalog.Exercise::id).toList()) + ": give one, e.g. " + lesson.exercises().get(0).id());
        }
        throw new CourseException("There is no exercise '" + arg.get() + "'. The exercises: " + catalog.exerciseIds()
                + " (./jbang course list shows them).");
    }

    /** A progress line of a check (a first build, a lab starting): dimmed, indented. */
    void progressLine(String line) {
        clearTick();
        out.println(ui.dim("  " + line));
    }

    /** While something slow runs, a terminal sees the seconds go by (a pipe or a file sees nothing). */
    void tick(long seconds) {
        if (ui.terminal && seconds >= 2) {
            out.print("\r" + ui.dim("  ... " + seconds + " s") + " ");
            out.flush();
            ticking = true;
        }
    }

    void clearTick() {
        if (ticking) {
            out.print("\r" + " ".repeat(20) + "\r");
            ticking = false;
        }
    }

    static String readText(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return "";
        }
    }

    /** Line {@code line} (from 1) of a file, or null. */
    static String sourceLine(Path file, long line) {
        List<String> lines = readText(file).lines().toList();
        return line >= 1 && line <= lines.size() ? lines.get((int) line - 1) : null;
    }

    static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    static String seconds(long millis) {
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
}
