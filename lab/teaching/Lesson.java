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

    private static String bold(String s) {
        return COLOR ? "\u001b[1m" + s + "\u001b[0m" : s;
    }
}
