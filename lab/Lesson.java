/**
 * How a lesson talks: a title, numbered steps, what it does and what it saw. Lessons read top to bottom
 * like a notebook; these keep their output in one recognisable shape.
 */
public final class Lesson {
    private static final boolean COLOR = System.console() != null && System.getenv("NO_COLOR") == null;

    private Lesson() {}

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
