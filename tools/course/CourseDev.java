import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * For the course's developers. {@code dev check} (like rustlings' dev check) proves, exercise by exercise in one
 * check JVM, that each untouched exercise fails at its own TODO (the {@code Todo.NotDoneException}'s exercise id is
 * the exercise's), that each solution passes its test, and that the files keep the course's shape (≤ 80 lines,
 * ≥ 2 hints, the solution differs from the exercise and has no TODO left). Each exercise is compiled on its own,
 * so a broken one shows up as itself and changes no other's verdict. CI runs it (.ci/check-exercises).
 */
final class CourseDev {
    static final int MAX_LINES = 80;
    private final Course c;

    CourseDev(Course course) {
        this.c = course;
    }

    int run(List<String> args) {
        String what = args.isEmpty() ? "" : args.get(0);
        if (what.equals("check")) {
            return check(args.subList(1, args.size()));
        }
        c.out.println("""
                For course developers:
                  ./jbang course dev check [NN.K ...]   every untouched exercise fails at its own TODO, every solution
                                                        passes its test, files keep the shape (docs/adding-a-lesson.md)""");
        return 64;
    }

    int check(List<String> only) {
        List<CourseCatalog.Exercise> targets = new ArrayList<>();
        for (String word : only) {
            CourseCatalog.Exercise ex = c.catalog.findExercise(word);
            CourseCatalog.Lesson lesson = ex == null ? c.catalog.findLesson(word) : null;
            if (ex == null && lesson == null) {
                throw new CourseException("There is no exercise or lesson '" + word + "'. The exercises: " + c.catalog.exerciseIds());
            }
            targets.addAll(ex != null ? List.of(ex) : lesson.exercises());
        }
        if (targets.isEmpty()) {
            targets.addAll(c.catalog.exercises);
        }
        c.out.println(c.ui.bold("dev check") + ": " + Course.plural(targets.size(), "exercise")
                + ", each as shipped (must fail at its own TODO) and solved (must pass), in one check JVM ...");
        long t0 = System.nanoTime();
        CourseVerify verify = new CourseVerify(c);
        int ok = 0;
        for (CourseCatalog.Exercise ex : targets) {
            List<String> problems = new ArrayList<>(shape(ex));
            String summary = "";
            if (verify.missingFile(ex) != null || missingSolution(ex) != null) {
                problems.add("not written yet: " + (verify.missingFile(ex) != null ? verify.missingFile(ex) : missingSolution(ex))
                        + " is missing");
            } else {
                CheckResult shipped = verify.check(ex, ex.exerciseDir());
                CheckResult solved = verify.check(ex, ex.solutionDir());
                c.clearTick();
                problems.addAll(untouchedProblems(ex, shipped));
                if (!solved.passed()) {
                    problems.add("the solution does not pass: " + solved.outcome() + ", " + CourseReport.firstProblem(solved));
                }
                CheckResult.Failure todo = shipped.firstTodo();
                summary = "as shipped: stops at TODO " + (todo == null ? "-" : todo.todoId()) + "; solved: "
                        + solved.passing() + "/" + solved.cases().size() + " pass";
            }
            if (problems.isEmpty()) {
                ok++;
                c.out.println("  " + ex.id() + "  " + c.ui.green("ok  ") + "  " + summary);
            } else {
                c.out.println("  " + ex.id() + "  " + c.ui.red("FAIL") + "  " + String.join("\n              ", problems));
            }
        }
        c.out.println();
        String time = " (" + Course.seconds((System.nanoTime() - t0) / 1_000_000) + ")";
        if (ok == targets.size()) {
            c.out.println(c.ui.green("All " + Course.plural(ok, "exercise") + " fail at their own TODO as shipped and pass solved.") + time);
            return 0;
        }
        c.out.println(c.ui.red((targets.size() - ok) + " of " + targets.size() + " exercises have problems.") + time
                + " Details of one: ./jbang course verify NN.K (your copy) or fix the files listed.");
        return 1;
    }

    /** An untouched exercise must fail, and each failed check must stop at one of its own TODOs. */
    static List<String> untouchedProblems(CourseCatalog.Exercise ex, CheckResult shipped) {
        List<String> problems = new ArrayList<>();
        if (shipped.passed()) {
            problems.add("passes as shipped: the learner has nothing to do");
        } else if (!shipped.outcome().equals(CheckResult.FAILED)) {
            problems.add("as shipped: " + shipped.outcome() + ", " + CourseReport.firstProblem(shipped)
                    + (shipped.outcome().equals(CheckResult.COMPILE_ERROR) ? " (an exercise must compile as shipped)" : ""));
        } else {
            for (CheckResult.Case k : shipped.cases()) {
                if (!k.failed()) {
                    continue;
                }
                CheckResult.Failure f = k.failure();
                String name = k.method().isEmpty() ? "the test's set-up" : k.method();
                if (f == null || !f.isTodo()) {
                    problems.add(name + " fails as shipped, but not at a TODO: " + (f == null ? "?" : f.type().replaceFirst(".*[.$]", "")
                            + (f.message() == null ? "" : ": " + f.message().lines().findFirst().orElse(""))));
                } else if (!f.todoExercise().equals(ex.id())) {
                    problems.add(name + " stops at TODO " + f.todoId() + ", another exercise's, not at one of " + ex.id());
                }
            }
        }
        return problems;
    }

    /** What docs/adding-a-lesson.md asks of an exercise's files and hints. */
    private List<String> shape(CourseCatalog.Exercise ex) {
        List<String> problems = new ArrayList<>();
        if (ex.hints().size() < 2) {
            problems.add("has " + Course.plural(ex.hints().size(), "hint") + " in course.json; give it at least 2");
        }
        for (String f : ex.files()) {
            Path exercise = c.root.resolve(ex.exerciseDir()).resolve(f);
            Path solution = c.root.resolve(ex.solutionPath(f));
            if (!Files.isRegularFile(exercise) || !Files.isRegularFile(solution)) {
                continue;
            }
            String shipped = Course.readText(exercise);
            long lines = shipped.lines().count();
            if (lines > MAX_LINES) {
                problems.add(ex.exerciseDir() + "/" + f + " has " + lines + " lines; an exercise keeps to " + MAX_LINES);
            }
            if (shipped.equals(Course.readText(solution))) {
                problems.add(ex.solutionPath(f) + " is the exercise itself");
            }
            if (Course.readText(solution).contains("Todo.todo(") || Course.readText(solution).contains("TODO " + ex.id())) {
                problems.add(ex.solutionPath(f) + " still has a TODO");
            }
        }
        return problems;
    }

    private String missingSolution(CourseCatalog.Exercise ex) {
        return ex.files().stream().map(ex::solutionPath).filter(p -> !Files.isRegularFile(c.root.resolve(p))).findFirst().orElse(null);
    }
}
