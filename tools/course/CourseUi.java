import java.util.Map;

/** Colours for a terminal, and none elsewhere (a pipe, a file, an IDE console) or when NO_COLOR is set. */
final class CourseUi {
    final boolean color;
    final boolean terminal;

    CourseUi(boolean terminal, boolean color) {
        this.terminal = terminal;
        this.color = color;
    }

    /** What this process' standard output is: colours only on a terminal, and never with NO_COLOR (no-color.org). */
    static CourseUi detect(Map<String, String> env) {
        boolean terminal = isTerminal();
        boolean color = terminal && env.get("NO_COLOR") == null && !"dumb".equals(env.get("TERM"));
        return new CourseUi(terminal, color);
    }

    private static boolean isTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // Java 22+ has a console even when redirected; isTerminal() tells the difference
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // Java 17-21: a console exists only on a terminal
        }
    }

    String bold(String s) {
        return paint("1", s);
    }

    String dim(String s) {
        return paint("2", s);
    }

    String red(String s) {
        return paint("31", s);
    }

    String green(String s) {
        return paint("32", s);
    }

    String yellow(String s) {
        return paint("33", s);
    }

    String cyan(String s) {
        return paint("36", s);
    }

    private String paint(String code, String s) {
        return color && !s.isEmpty() ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }
}
