//SOURCES ../LabConfig.java ../LabException.java
//DEPS com.fasterxml.jackson:jackson-bom:2.20.1@pom
//DEPS com.fasterxml.jackson.core:jackson-databind
//COMPILE_OPTIONS -encoding UTF-8
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How a lesson talks: a title, numbered steps, what it does and what it saw. Lessons read top to bottom
 * like a notebook; these keep their output in one recognisable shape. A lesson passes its number; its title
 * comes from course.json. A lesson that runs to its end says so in the course's progress file, so
 * {@code ./jbang course} stops offering lesson 00 once it has run through.
 */
public final class Lesson {
    /** A lesson's body: everything after its title, given the lab; returns the exit code (0 when all went well). */
    @FunctionalInterface
    public interface Body {
        int run(LabConfig lab) throws Exception;
    }

    private static final boolean COLOR = System.console() != null && System.getenv("NO_COLOR") == null;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The course runner's progress file (see tools/course/CourseState.java). */
    static final String STATE_FILE = ".course-state.json";

    static {
        printRussianOnAnyConsole();
    }

    private Lesson() {}

    /**
     * Prints the title (from course.json), then runs the lesson against the lab the environment describes. A
     * {@link LabException} (no broker, a taken port: something the learner can fix) is printed as its message, with
     * exit code 2 and no stack trace. Exit code 0 records the lesson as run to its end ({@link #finished}).
     */
    public static void run(String number, Body body) throws Exception {
        title(number);
        int code;
        try {
            code = body.run(lab());
        } catch (LabException e) {
            System.err.println("\n" + e.getMessage());
            code = 2;
        }
        if (code != 0) {
            System.exit(code);
        }
        finished(number);
    }

    /**
     * The lab the environment names, in the learner's namespace. On a cluster a room shares, a learner with no name
     * would make names that collide with everybody else's: that is refused (a {@link LabException} saying how to get
     * one). A learner's names are announced once, so the CLI commands the lesson prints can be copied as they are.
     */
    public static LabConfig lab() {
        LabConfig lab;
        try {
            lab = LabConfig.fromEnvironment();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new LabException(e.getMessage(), e);
        }
        if (lab.kafkaIsShared() && !lab.hasLearner()) {
            throw new LabException(lab.howToNameYourself());
        }
        if (lab.hasLearner()) {
            say("(learner " + lab.learner() + ": every topic, group, object and table this lesson makes starts with "
                    + lab.learner() + ".)");
        }
        return lab;
    }

    /**
     * The same; {@code name} is not used (the title comes from course.json). Kept while lessons move to
     * {@link #run(String, Body)}: remove it when none calls it.
     */
    @Deprecated
    public static void run(String number, String name, Body body) throws Exception {
        run(number, body);
    }

    /**
     * Records that lesson {@code number} ran to its end, in the course's progress file. {@link #run} does it when the
     * body returns 0; a lesson that then keeps something running until Ctrl-C (lesson 00's lab) calls it first.
     */
    public static void finished(String number) {
        Path root = courseRoot();
        if (root != null) {
            try {
                markFinished(root, number);
            } catch (IOException | RuntimeException e) {
                // progress is a convenience: the lesson itself went well
                System.err.println("(could not record lesson " + number + " as run in " + STATE_FILE + ": " + e.getMessage() + ")");
            }
        }
    }

    /** Adds {@code number} to {@code lessonsFinished} in {@code root}/.course-state.json, keeping everything else. */
    static void markFinished(Path root, String number) throws IOException {
        Path file = root.resolve(STATE_FILE);
        ObjectNode state = Files.exists(file) && JSON.readTree(Files.readString(file)) instanceof ObjectNode o ? o
                : JSON.createObjectNode();
        ArrayNode finished = state.has("lessonsFinished") && state.get("lessonsFinished").isArray()
                ? (ArrayNode) state.get("lessonsFinished") : state.putArray("lessonsFinished");
        for (JsonNode n : finished) {
            if (n.asText().equals(number)) {
                return;
            }
        }
        finished.add(number);
        Path tmp = file.resolveSibling(STATE_FILE + ".lesson.tmp");
        Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(state) + "\n");
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The lesson's title in course.json ("The lab" for "00"), or "Lesson NN" when the course file cannot be read. */
    public static String titleOf(String number) {
        Path root = courseRoot();
        if (root != null) {
            try {
                for (JsonNode lesson : JSON.readTree(Files.readString(root.resolve("course.json"))).path("lessons")) {
                    if (lesson.path("id").asText().equals(number)) {
                        return lesson.path("title").asText();
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the title is a courtesy: the lesson runs without it
            }
        }
        return "Lesson " + number;
    }

    /** The course folder: the nearest folder at or above the working directory holding course.json; null if none. */
    static Path courseRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("course.json"))) {
                return p;
            }
        }
        return null;
    }

    /** Command-line options: {@code --name value} pairs, and a bare {@code --flag} as "true". */
    public static java.util.Map<String, String> options(String[] args) {
        java.util.Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            options.put(args[i], i + 1 < args.length && !args[i + 1].startsWith("--") ? args[++i] : "true");
        }
        return options;
    }

    /** The same; {@code name} is not used (the title comes from course.json). Remove it when no lesson calls it. */
    @Deprecated
    public static void title(String number, String name) {
        title(number);
    }

    /** Prints "=== Lesson NN - title ===" with the title from course.json. */
    public static void title(String number) {
        System.out.println(bold("\n=== Lesson " + number + " - " + titleOf(number) + " ==="));
    }

    public static void step(int n, String what) {
        System.out.println(bold("\n" + n + ". " + what));
    }

    /** Explains what is going on. */
    public static void say(String text) {
        System.out.println("   " + text);
    }

    /** Shows what the lesson observed (a result from Kafka, S3, ...). */
    public static void saw(String text) {
        System.out.println((COLOR ? "\u001b[32m" : "") + "   > " + text + (COLOR ? "\u001b[0m" : ""));
    }

    /**
     * Lets System.out and System.err print the course's Russian names whatever the JVM's default charset is.
     *
     * <p>Java takes the charset of its standard streams from the locale: with no {@code LANG} (a minimal Linux login,
     * many containers and CI images) that is US-ASCII on JDK 17 and 21 alike, and a JDK 17 on Windows uses
     * windows-1252; Cyrillic then comes out as {@code ?????}. When a stream's charset cannot encode Cyrillic, it is
     * wrapped so that text reaches it as UTF-8 bytes: what every Linux and macOS terminal shows, and the only chance
     * on a console that could not show Cyrillic anyway. A charset that can (UTF-8, or a Russian Windows console's
     * cp866) is kept, so such a console keeps showing the names right.
     *
     * <p>Why here and not JVM options ({@code -Dstdout.encoding=UTF-8}, JDK 17's {@code -Dsun.stdout.encoding=UTF-8})
     * in every script and alias: options would force UTF-8 onto a cp866 console too, and would not reach a lesson
     * started another way (an IDE, a test, the course runner's JVM). Why wrap rather than open file descriptor 1 anew:
     * whoever already redirected System.out (a test harness, a benchmark capturing a lesson) keeps getting the output.
     */
    static void printRussianOnAnyConsole() {
        System.setOut(utf8UnlessItCanShowCyrillic(System.out, "stdout"));
        System.setErr(utf8UnlessItCanShowCyrillic(System.err, "stderr"));
    }

    private static java.io.PrintStream utf8UnlessItCanShowCyrillic(java.io.PrintStream stream, String name) {
        java.nio.charset.Charset charset = charsetOf(stream, name);
        if (charset != null && charset.newEncoder().canEncode("\u041f\u0430\u0443\u0437\u0430")) { // "Пауза"
            return stream;
        }
        stream.flush();
        // a PrintStream passes bytes through unchanged: only the encoding of the text changes
        return new java.io.PrintStream(stream, true, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The charset a standard stream encodes with; null when it cannot be told (then it is treated as unable). */
    private static java.nio.charset.Charset charsetOf(java.io.PrintStream stream, String name) {
        try {
            return (java.nio.charset.Charset) java.io.PrintStream.class.getMethod("charset").invoke(stream); // JDK 18+
        } catch (ReflectiveOperationException | RuntimeException jdk17) {
            // JDK 17: sun.stdout.encoding / sun.stderr.encoding when set (a Windows console), else the default charset
            String encoding = System.getProperty("sun." + name + ".encoding");
            try {
                return encoding != null ? java.nio.charset.Charset.forName(encoding) : java.nio.charset.Charset.defaultCharset();
            } catch (RuntimeException unknown) {
                return null;
            }
        }
    }

    private static String bold(String s) {
        return COLOR ? "\u001b[1m" + s + "\u001b[0m" : s;
    }
}
