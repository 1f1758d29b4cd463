import java.nio.file.Path;
import java.util.List;

/**
 * How a check's result reads: a verdict line, then for each failed check what it checks, what went wrong and where
 * (the TODO that stopped it, with the learner's file:line and that line; or the first line of the learner's code
 * in the stack trace), compile errors with the learner's line and a caret, and what to do next.
 */
final class CourseReport {
    private final Course c;
    private final CourseCatalog.Exercise ex;

    CourseReport(Course course, CourseCatalog.Exercise ex) {
        this.c = course;
        this.ex = ex;
    }

    /** The one-line verdict; returns the exit code (0 passed, 1 not, 2 no result). */
    int verdict(CheckResult r) {
        String time = " (" + Course.seconds(r.millis()) + ")";
        switch (r.outcome()) {
            case CheckResult.PASSED -> c.out.println(c.ui.green("PASSED") + "  exercise " + ex.label() + ": "
                    + Course.plural(r.passing(), "check") + (r.passing() == 1 ? " passes" : " pass") + time + ".");
            case CheckResult.FAILED -> c.out.println(c.ui.red("FAILED") + "  exercise " + ex.label() + ": " + r.failing() + " of "
                    + r.cases().size() + " check" + (r.cases().size() == 1 ? "" : "s") + " failed" + time
                    + (r.firstTodo() != null ? ", at TODO " + r.firstTodo().todoId() : "") + ".");
            case CheckResult.COMPILE_ERROR -> c.out.println(c.ui.red("DOES NOT COMPILE") + "  exercise " + ex.label() + ": "
                    + Course.plural(r.compileErrors().size(), "error") + time + ".");
            case CheckResult.NOT_RUN -> c.out.println(c.ui.yellow("NOT CHECKED") + "  exercise " + ex.label() + ": its checks were"
                    + " skipped" + (r.note() == null ? "" : ": " + r.note()));
            default -> c.out.println(c.ui.red("NO RESULT") + "  exercise " + ex.label() + ": " + r.note());
        }
        return r.passed() ? 0 : r.outcome().equals(CheckResult.FAILED) || r.outcome().equals(CheckResult.COMPILE_ERROR) ? 1 : 2;
    }

    /** The whole report of a check that did not pass; returns the exit code. */
    int failed(CheckResult r) {
        c.out.println();
        int code = verdict(r);
        if (r.outcome().equals(CheckResult.COMPILE_ERROR)) {
            compileErrors(r);
            return code;
        }
        CheckResult.Failure previous = null;
        for (CheckResult.Case k : r.cases()) {
            if (k.failed()) {
                c.out.println();
                failure(k, previous);
                previous = k.failure();
            }
        }
        c.out.println();
        CheckResult.Failure todo = r.firstTodo();
        String files = String.join(", ", ex.exercisePaths());
        String again = c.watching ? ", then save: it is checked again." : ", then ./jbang course verify " + ex.id()
                + "   (or keep ./jbang course watch running)";
        if (r.outcome().equals(CheckResult.FAILED)) {
            Where where = todo == null ? null : where(todo);
            c.out.println(c.ui.bold("Next: ") + (todo != null ? "do TODO " + todo.todoId() + " in " + (where != null ? where.at() : files)
                    : "fix what the first failed check says in " + files) + again);
        } else if (r.outcome().equals(CheckResult.ERROR)) {
            c.out.println(c.ui.bold("Next: ") + "the check JVM's output is in target/course/check-jvm.log; `./jbang course doctor`"
                    + " checks the lab.");
        }
        c.out.println("Stuck? " + (c.watching ? "h (then Enter) for a hint" : "./jbang course hint " + ex.id()));
        c.out.println(c.ui.dim("(what the check printed: " + CheckBuild.DIR + "/work/" + CheckBuild.CHECK_OUTPUT + ")"));
        return code;
    }

    private void failure(CheckResult.Case k, CheckResult.Failure previous) {
        String name = k.method().isEmpty() ? "setting up " + ex.test() + " (before its checks)" : humanize(k.method());
        c.out.println("  " + c.ui.red("x") + " " + c.ui.bold(name));
        CheckResult.Failure f = k.failure();
        if (f == null) {
            c.out.println("      (no exception was reported)");
            return;
        }
        if (f.isTodo()) {
            if (previous != null && previous.isTodo() && previous.todoId().equals(f.todoId())) {
                c.out.println("      stopped at the same TODO " + f.todoId());
                return;
            }
            c.out.println("      TODO " + f.todoId() + " is not done yet: " + c.ui.cyan(f.todoWhat() == null ? "" : f.todoWhat()));
            Where w = where(f);
            if (w != null) {
                c.out.println("      " + w.at() + (w.text() == null ? "" : "   " + c.ui.dim(w.text().strip())));
            }
            return;
        }
        boolean assertion = f.type().endsWith("AssertionFailedError") || f.type().endsWith("AssertionError");
        List<String> message = f.message() == null ? List.of() : f.message().strip().lines().toList();
        if (assertion) {
            // AssertJ: "[what was checked] \nexpected: ...\n but was: ..."
            for (String line : message.subList(0, Math.min(message.size(), 14))) {
                String s = line.strip();
                c.out.println("      " + clip(s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : "  " + line.stripTrailing()));
            }
        } else {
            c.out.println("      " + f.type().replaceFirst(".*[.$]", "") + (message.isEmpty() ? "" : ": " + clip(message.get(0))));
            message.stream().skip(1).limit(8).forEach(l -> c.out.println("        " + clip(l)));
            f.causes().stream().limit(3).forEach(l -> c.out.println("      caused by " + clip(l.replaceFirst("^(?:[\\w$]+\\.)*", ""))));
        }
        Where w = where(f);
        if (w != null) {
            c.out.println("      in your code: " + w.at() + (w.text() == null ? "" : "   " + w.text().strip()));
        }
        f.frames().stream().filter(fr -> (ex.test() + ".java").equals(fr.file())).findFirst().ifPresent(fr -> {
            String text = Course.sourceLine(c.root.resolve(ex.testSource()), fr.line());
            c.out.println("      checked at " + ex.testSource() + ":" + fr.line() + (text == null ? "" : "   " + text.strip()));
        });
    }

    /** Where in the learner's files a failure points: "exercises/.../X.java:23" and that line's text. */
    private record Where(String at, String text) {}

    /** The first frame in one of the exercise's files; for an SQL exercise's TODO, the line that marks it. */
    private Where where(CheckResult.Failure f) {
        for (CheckResult.Frame fr : f.frames()) {
            if (fr.file() != null && ex.files().contains(fr.file())) {
                Path file = c.root.resolve(ex.exerciseDir()).resolve(fr.file());
                return new Where(ex.exerciseDir() + "/" + fr.file() + ":" + fr.line(), Course.sourceLine(file, fr.line()));
            }
        }
        if (f.isTodo()) {
            for (String name : ex.files()) {
                if (name.endsWith(".sql")) {
                    List<String> lines = Course.readText(c.root.resolve(ex.exerciseDir()).resolve(name)).lines().toList();
                    for (int i = 0; i < lines.size(); i++) {
                        if (lines.get(i).contains("TODO " + f.todoId())) {
                            return new Where(ex.exerciseDir() + "/" + name + ":" + (i + 1), lines.get(i));
                        }
                    }
                }
            }
        }
        return null;
    }

    private void compileErrors(CheckResult r) {
        boolean inTest = false;
        for (CheckResult.Diagnostic d : r.compileErrors()) {
            c.out.println();
            Path file = d.file().isEmpty() ? null : Path.of(d.file());
            String shown = file == null ? "" : file.startsWith(c.root) ? c.root.relativize(file).toString().replace('\\', '/') : d.file();
            inTest |= shown.startsWith("src/test/");
            c.out.println("  " + c.ui.bold(shown + ":" + d.line() + ":" + d.column()) + "  " + d.message().replace("\n", "\n    "));
            String source = file == null ? null : Course.sourceLine(file, d.line());
            if (source != null) {
                String number = Long.toString(d.line());
                c.out.println("  " + number + " | " + source.stripTrailing());
                int col = (int) Math.max(1, d.column()) - 1;
                String lead = source.substring(0, Math.min(col, source.length())).replaceAll("[^\t]", " ");
                c.out.println("  " + " ".repeat(number.length()) + " | " + lead + c.ui.red("^"));
            }
        }
        c.out.println();
        if (inTest) {
            c.out.println(c.ui.bold("Next: ") + "the test no longer fits your code: keep the exercise's class, method names and"
                    + " parameters as they were shipped (only the bodies change), then check again.");
        } else {
            c.out.println(c.ui.bold("Next: ") + "fix the error" + (r.compileErrors().size() == 1 ? "" : "s") + " above, then "
                    + (c.watching ? "save." : "./jbang course verify " + ex.id() + ".")
                    + " Only this exercise is compiled: the others are not affected.");
        }
    }

    /** The first problem of a result in a few words, for a table. */
    static String firstProblem(CheckResult r) {
        if (r.outcome().equals(CheckResult.COMPILE_ERROR)) {
            CheckResult.Diagnostic d = r.compileErrors().get(0);
            return Path.of(d.file()).getFileName() + ":" + d.line() + " " + d.message().lines().findFirst().orElse("");
        }
        if (r.firstTodo() != null) {
            return "TODO " + r.firstTodo().todoId() + " not done";
        }
        CheckResult.Failure f = r.cases().stream().filter(CheckResult.Case::failed).map(CheckResult.Case::failure)
                .filter(x -> x != null).findFirst().orElse(null);
        if (f == null) {
            return r.note() == null ? r.outcome() : r.note();
        }
        String first = f.message() == null ? f.type() : f.message().strip().lines().findFirst().orElse(f.type());
        return first.startsWith("[") && first.endsWith("]") ? first.substring(1, first.length() - 1) : first;
    }

    /** describeClusterReportsTheClusterThatAnswers -> "describe cluster reports the cluster that answers". */
    static String humanize(String method) {
        return String.join(" ", method.split("(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")).toLowerCase(java.util.Locale.ROOT);
    }

    private static String clip(String line) {
        return line.length() > 220 ? line.substring(0, 217) + "..." : line;
    }
}
