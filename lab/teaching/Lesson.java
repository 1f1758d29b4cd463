//SOURCES ../LabConfig.java ../LabException.java
//COMPILE_OPTIONS -encoding UTF-8
/**
 * How a lesson talks: a title, numbered steps, what it does and what it saw. Lessons read top to bottom
 * like a notebook; these keep their output in one recognisable shape.
 */
public final class Lesson {
    /** A lesson's body: everything after its title, given the lab; returns the exit code (0 when all went well). */
    @FunctionalInterface
    public interface Body {
        int run(LabConfig lab) throws Exception;
    }

    private static final boolean COLOR = System.console() != null && System.getenv("NO_COLOR") == null;

    static {
        printRussianOnAnyConsole();
    }

    private Lesson() {}

    /**
     * Prints the title, then runs the lesson against the lab the environment describes. A {@link LabException}
     * (no broker, a taken port: something the learner can fix) is printed as its message, with exit code 2 and
     * no stack trace.
     */
    public static void run(String number, String name, Body body) throws Exception {
        title(number, name);
        int code;
        try {
            code = body.run(LabConfig.fromEnvironment());
        } catch (LabException e) {
            System.err.println("\n" + e.getMessage());
            code = 2;
        }
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Command-line options: {@code --name value} pairs, and a bare {@code --flag} as "true". */
    public static java.util.Map<String, String> options(String[] args) {
        java.util.Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            options.put(args[i], i + 1 < args.length && !args[i + 1].startsWith("--") ? args[++i] : "true");
        }
        return options;
    }

    public static void title(String number, String name) {
        System.out.println(bold("\n=== Lesson " + number + " - " + name + " ==="));
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
